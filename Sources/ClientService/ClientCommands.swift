import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.create`, `client.update`, `client.delete`, `client.restore`: every change bumps the
/// card's version, is written to the history (who, when, field, before, after) and published.
enum ClientCommands {
    static func create(_ db: SQLDatabase, _ command: ClientCreate, _ context: HandlerContext) throws -> ClientCard {
        var fields = command.fields
        try ClientValidation.normalize(&fields, country: StoreRegistry.country(db, storeID: command.storeID))
        fields = try fields.clearingEmptyStrings()
        try ClientValidation.checkUnique(db, storeID: command.storeID, fields: fields, except: nil)
        fields.kind = fields.kind ?? .person
        fields.newsletter = fields.newsletter ?? true
        fields.source = fields.source ?? "telephone"
        fields.characteristic = fields.characteristic ?? "normal"
        // Where and by whom the card was made, unless an import says otherwise.
        fields.originStore = fields.originStore ?? command.storeID
        fields.registeredBy = fields.registeredBy ?? context.sender.userID
        let row = ClientStore.Row(clientID: RandomID.uuid().lowercased(), storeID: command.storeID, version: 1, deleted: false,
                                  mergedInto: nil, createdAt: context.now, updatedAt: context.now, fields: fields)
        try ClientStore.insert(db, row)
        let changes = try fields.namedValues().compactMap { $0.value == nil ? nil : ($0.name, JSONValue?.none, $0.value) }
        try ClientStore.recordHistory(db, clientID: row.clientID, at: context.now, author: author(context), changes: changes)
        let card = ClientStore.card(row)
        try context.publish(event: ClientChanged(client: card), type: "client.created")
        return card
    }

    static func update(_ db: SQLDatabase, _ command: ClientUpdate, _ context: HandlerContext) throws -> ClientCard {
        var row = try ClientStore.require(db, clientID: command.clientID, storeID: command.storeID, forUpdate: true)
        guard row.mergedInto == nil else {
            throw ErrorBody(code: .conflict, message: "client \(row.clientID) was merged into \(row.mergedInto!)")
        }
        guard row.version == command.version else {
            throw ErrorBody(code: .conflict, message: "the card changed: version \(row.version), not \(command.version)",
                            details: [ErrorDetail(field: "version", problem: "stale", extra: ["current": .integer(Int64(row.version))])])
        }
        var changes = command.changes
        try ClientValidation.normalize(&changes, country: StoreRegistry.country(db, storeID: row.storeID))
        let before = try row.fields.namedValues()
        try row.fields.apply(changes)
        // A deleted client holds no keys; they are checked again when it is restored.
        if !row.deleted { try ClientValidation.checkUnique(db, storeID: row.storeID, fields: row.fields, except: row.clientID) }
        let after = try row.fields.namedValues()
        let changed = zip(before, after).filter { $0.value != $1.value }.map { ($0.name, $0.value, $1.value) }
        guard !changed.isEmpty else { return ClientStore.card(row) }
        row.version += 1
        row.updatedAt = context.now
        try ClientStore.update(db, row)
        try ClientStore.recordHistory(db, clientID: row.clientID, at: context.now, author: author(context), changes: changed)
        let card = ClientStore.card(row)
        try context.publish(event: ClientChanged(changedFields: changed.map(\.0), client: card), type: "client.updated")
        return card
    }

    static func delete(_ db: SQLDatabase, _ command: ClientRef, _ context: HandlerContext) throws -> ClientCard {
        try setDeleted(true, db, command, context)
    }

    static func restore(_ db: SQLDatabase, _ command: ClientRef, _ context: HandlerContext) throws -> ClientCard {
        try setDeleted(false, db, command, context)
    }

    private static func setDeleted(_ deleted: Bool, _ db: SQLDatabase, _ command: ClientRef, _ context: HandlerContext) throws -> ClientCard {
        var row = try ClientStore.require(db, clientID: command.clientID, storeID: command.storeID, forUpdate: true)
        guard row.deleted != deleted else { return ClientStore.card(row) }
        // A restored client takes its e-mail and phone back: someone else may have them now.
        if !deleted { try ClientValidation.checkUnique(db, storeID: row.storeID, fields: row.fields, except: row.clientID) }
        row.deleted = deleted
        row.version += 1
        row.updatedAt = context.now
        try ClientStore.update(db, row)
        try ClientStore.recordHistory(db, clientID: row.clientID, at: context.now, author: author(context),
                                      changes: [("deleted", .bool(!deleted), .bool(deleted))])
        try context.publish(event: ClientLifecycle(clientID: row.clientID, storeID: row.storeID, version: row.version, at: context.now),
                            type: deleted ? "client.deleted" : "client.restored")
        return ClientStore.card(row)
    }

    /// Who made a change: the sender's broker-verified user, never a field the sender writes.
    static func author(_ context: HandlerContext) -> String { context.sender.userID }
}

extension ClientFields {
    /// Takes every field `changes` carries; an empty string clears a text field.
    mutating func apply(_ changes: ClientFields) throws {
        var merged = try JSONValue.encoding(self).objectValue ?? [:]
        for (key, value) in try JSONValue.encoding(changes).objectValue ?? [:] {
            merged[key] = value == .string("") ? nil : value
        }
        self = try JSONCoding.decoder.decode(ClientFields.self, from: JSONCoding.encoder.encode(JSONValue.object(merged)))
    }

    /// Empty strings mean "no value" on a new card.
    func clearingEmptyStrings() throws -> ClientFields {
        var copy = ClientFields()
        try copy.apply(self)
        return copy
    }
}
