import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.merge` and `client.unmerge`. A merge keeps every merged client (marked `merged_into`)
/// with a snapshot of its card and a note of what the survivor took from it, so that an unmerge
/// brings the merged client back exactly and takes back from the survivor only what it still has
/// unchanged. Every phone of the merged clients is kept: a merge that would exceed `max_phones`
/// is refused, never trimmed.
enum ClientMerges {
    /// What the survivor took from one merged client.
    struct Gain: Codable {
        var fields: [String: JSONValue] = [:]   // field → the survivor's value before
        var phones: [String] = []
        var lists: [String: [JSONValue]] = [:]   // list field → the entries added to the survivor's
    }

    static let phoneFields: Set<String> = ["phone", "extra_phones", "landline_phone"]
    /// Lists the survivor gains the merged clients' entries of (groups, addresses, companies move to it).
    static let listFields: Set<String> = ["groups", "addresses", "companies"]

    static func merge(_ db: SQLDatabase, _ command: ClientMerge, _ context: HandlerContext) throws -> ClientCard {
        var survivor = try live(db, command.survivorID, store: command.storeID)
        let mergedIDs = command.mergedIDs.reduce(into: [String]()) { if !$0.contains($1) && $1 != survivor.clientID { $0.append($1) } }
        guard !mergedIDs.isEmpty else { throw ErrorBody.validationFailed([ErrorDetail(field: "merged_ids", problem: "invalid_value")]) }
        let author = ClientCommands.author(context)
        let before = try survivor.fields.namedValues()
        let mergedRows = try mergedIDs.map { try live(db, $0, store: command.storeID) }
        try checkPhones(survivor.fields, merged: mergedRows.map(\.fields), max: command.maxPhones)
        for var merged in mergedRows {
            let id = merged.clientID
            let snapshot = try JSONCoding.encoder.encode(ClientStore.card(merged))
            var gain = Gain()
            var target = try JSONValue.encoding(survivor.fields).objectValue ?? [:]
            for (name, value) in try JSONValue.encoding(merged.fields).objectValue ?? [:] where !phoneFields.contains(name) {
                if listFields.contains(name), case .array(let entries) = value {
                    guard case .array(let own) = target[name] ?? .array([]) else { continue }
                    let added = entries.filter { !own.contains($0) }
                    if !added.isEmpty { gain.lists[name] = added; target[name] = .array(own + added) }
                    continue
                }
                let wins = command.fieldRules?[name] == merged.clientID
                guard target[name] == nil || (wins && target[name] != value) else { continue }
                gain.fields[name] = target[name] ?? .null
                target[name] = value
            }
            survivor.fields = try JSONCoding.decoder.decode(ClientFields.self, from: JSONCoding.encoder.encode(JSONValue.object(target)))
            gain.phones = takePhones(from: merged.fields, into: &survivor.fields)
            let moved = try db.column("SELECT order_id FROM client_order WHERE client_id = ? ORDER BY order_id", [id], as: String.self)
            try db.execute("UPDATE client_order SET client_id = ? WHERE client_id = ?", [survivor.clientID, id])

            merged.mergedInto = survivor.clientID
            merged.version += 1
            merged.updatedAt = context.now
            try ClientStore.update(db, merged)
            try ClientStore.recordHistory(db, clientID: id, at: context.now, author: author,
                                          changes: [("merged_into", nil, .string(survivor.clientID))])
            try db.execute("""
                INSERT INTO client_merge (merged_id, survivor_id, merged_snapshot, gained, moved_orders, merged_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (merged_id) DO UPDATE SET survivor_id = excluded.survivor_id, merged_snapshot = excluded.merged_snapshot,
                    gained = excluded.gained, moved_orders = excluded.moved_orders, merged_at = excluded.merged_at
                """, [id, survivor.clientID, String(decoding: snapshot, as: UTF8.self), try text(gain),
                      try text(moved), RFC3339.string(from: context.now)])
        }
        try saveChanged(db, &survivor, before: before, context: context)
        try context.publish(event: ClientMerged(storeID: command.storeID, survivorID: survivor.clientID, mergedIDs: mergedIDs,
                                                mergedAt: context.now), type: "client.merged")
        return ClientStore.card(survivor)
    }

    static func unmerge(_ db: SQLDatabase, _ command: ClientUnmerge, _ context: HandlerContext) throws -> ClientCard {
        _ = try ClientStore.require(db, clientID: command.mergedID, storeID: command.storeID, forUpdate: true)
        guard let record = try db.row("SELECT * FROM client_merge WHERE merged_id = ?" + db.forUpdate, [command.mergedID]) else {
            throw ErrorBody(code: .notFound, message: "client \(command.mergedID) is not merged")
        }
        let snapshot = try JSONCoding.decoder.decode(ClientCard.self, from: Data((record["merged_snapshot"] as String).utf8))
        let gain = try JSONCoding.decoder.decode(Gain.self, from: Data((record["gained"] as String).utf8))
        let moved = try JSONCoding.decoder.decode([String].self, from: Data((record["moved_orders"] as String).utf8))
        var survivor = try ClientStore.require(db, clientID: record["survivor_id"], storeID: command.storeID, forUpdate: true)
        let before = try survivor.fields.namedValues()

        // The survivor gives back what it took, where it still holds the taken value.
        var current = try JSONValue.encoding(survivor.fields).objectValue ?? [:]
        let taken = try JSONValue.encoding(snapshot.fields).objectValue ?? [:]
        for (name, previous) in gain.fields where current[name] == taken[name] {
            current[name] = previous == .null ? nil : previous
        }
        for (name, added) in gain.lists {
            if case .array(let entries) = current[name] ?? .array([]) { current[name] = .array(entries.filter { !added.contains($0) }) }
        }
        survivor.fields = try JSONCoding.decoder.decode(ClientFields.self, from: JSONCoding.encoder.encode(JSONValue.object(current)))
        if let phone = survivor.fields.phone, gain.phones.contains(phone) { survivor.fields.phone = nil }
        survivor.fields.extraPhones = survivor.fields.extraPhones?.filter { !gain.phones.contains($0) }
        try saveChanged(db, &survivor, before: before, context: context)

        var restored = try ClientStore.require(db, clientID: command.mergedID, storeID: command.storeID)
        restored.fields = snapshot.fields
        restored.deleted = snapshot.deleted
        restored.mergedInto = nil
        restored.version += 1
        restored.updatedAt = context.now
        if !restored.deleted {
            try ClientValidation.checkUnique(db, storeID: restored.storeID, fields: restored.fields, except: restored.clientID)
        }
        try ClientStore.update(db, restored)
        // The orders that moved with the merge go back; the JSON array is read by each engine's own function.
        let movedIDs = db.engine == .postgres ? "SELECT jsonb_array_elements_text(CAST(? AS jsonb))" : "SELECT value FROM json_each(?)"
        try db.execute("UPDATE client_order SET client_id = ? WHERE client_id = ? AND order_id IN (\(movedIDs))",
                       [restored.clientID, survivor.clientID, try text(moved)])
        try db.execute("DELETE FROM client_merge WHERE merged_id = ?", [command.mergedID])
        try ClientStore.recordHistory(db, clientID: restored.clientID, at: context.now, author: ClientCommands.author(context),
                                      changes: [("merged_into", .string(survivor.clientID), nil)])
        try context.publish(event: ClientUnmerged(storeID: restored.storeID, survivorID: survivor.clientID,
                                                  restoredIDs: [restored.clientID], unmergedAt: context.now), type: "client.unmerged")
        return ClientStore.card(restored)
    }

    /// The most phones a card holds: `phone` and 20 `extra_phones` (schemas/client.card.schema.json).
    static let cardPhoneLimit = 21

    /// Refuses, before anything changes, a merge that would leave the survivor more phones than
    /// `max_phones` (or than a card holds): a phone is never dropped to make room. No `max_phones`
    /// means no limit of the command's own.
    static func checkPhones(_ survivor: ClientFields, merged: [ClientFields], max: Int?) throws {
        let count = merged.reduce(into: phones(survivor)) { all, fields in
            for phone in phones(fields) where !all.contains(phone) { all.append(phone) }
        }.count
        let limit = Swift.min(max ?? cardPhoneLimit, cardPhoneLimit)
        guard count > limit else { return }
        // Over the command's own limit: `max_phones` is the field; over what a card holds: the clients.
        let field = (max ?? Int.max) <= cardPhoneLimit ? "max_phones" : "merged_ids"
        throw ErrorBody.validationFailed(
            [ErrorDetail(field: field, problem: "too_many_phones", extra: ["phones": .integer(Int64(count)), "max_phones": .integer(Int64(limit))])],
            message: "the merged client would have \(count) phones, more than \(limit)")
    }

    private static func phones(_ fields: ClientFields) -> [String] {
        ([fields.phone] + (fields.extraPhones ?? []).map { $0 }).compactMap { $0 }
    }

    /// The merged client's phones the survivor lacks (checkPhones made sure they fit).
    private static func takePhones(from merged: ClientFields, into survivor: inout ClientFields) -> [String] {
        var taken: [String] = []
        var all = phones(survivor)
        for phone in phones(merged) where !all.contains(phone) {
            if survivor.phone == nil { survivor.phone = phone } else { survivor.extraPhones = (survivor.extraPhones ?? []) + [phone] }
            all.append(phone)
            taken.append(phone)
        }
        return taken
    }

    private static func live(_ db: SQLDatabase, _ id: String, store: String) throws -> ClientStore.Row {
        let row = try ClientStore.require(db, clientID: id, storeID: store, forUpdate: true)
        guard row.mergedInto == nil else { throw ErrorBody(code: .conflict, message: "client \(id) is already merged into \(row.mergedInto!)") }
        return row
    }

    /// Bumps the version, writes the row, the history and `client.updated`, when anything changed.
    private static func saveChanged(_ db: SQLDatabase, _ row: inout ClientStore.Row, before: [(name: String, value: JSONValue?)],
                                    context: HandlerContext) throws {
        let after = try row.fields.namedValues()
        let changed = zip(before, after).filter { $0.value != $1.value }.map { ($0.name, $0.value, $1.value) }
        guard !changed.isEmpty else { return }
        row.version += 1
        row.updatedAt = context.now
        try ClientStore.update(db, row)
        try ClientStore.recordHistory(db, clientID: row.clientID, at: context.now, author: ClientCommands.author(context), changes: changed)
        try context.publish(event: ClientChanged(changedFields: changed.map(\.0), client: ClientStore.card(row)), type: "client.updated")
    }

    private static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}
