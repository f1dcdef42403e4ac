import Contracts
import Foundation
import GRDB
import WorkerKit

/// The address and company commands: each is a `client.update` of one list, so that the version
/// check, the history (field `addresses` or `companies`, before and after), the search index and
/// the `client.updated` event work exactly as for any other change of the card.
enum ClientListEdits {
    enum Edit<Item> {
        case add(Item)
        case update(index: Int, Item)
        case remove(index: Int)
    }

    static func address(_ edit: @escaping @Sendable (ClientAddressEdit) throws -> Edit<ClientAddress>)
        -> @Sendable (Database, ClientAddressEdit, HandlerContext) throws -> ClientCard {
        { db, command, context in
            var changes = ClientFields()
            changes.addresses = try apply(edit(command), to: ClientStore.require(db, clientID: command.clientID).fields.addresses ?? [])
            return try ClientCommands.update(db, ClientUpdate(clientID: command.clientID, version: command.version, changes: changes), context)
        }
    }

    static func company(_ edit: @escaping @Sendable (ClientCompanyEdit) throws -> Edit<ClientCompany>)
        -> @Sendable (Database, ClientCompanyEdit, HandlerContext) throws -> ClientCard {
        { db, command, context in
            var changes = ClientFields()
            changes.companies = try apply(edit(command), to: ClientStore.require(db, clientID: command.clientID).fields.companies ?? [])
            return try ClientCommands.update(db, ClientUpdate(clientID: command.clientID, version: command.version, changes: changes), context)
        }
    }

    /// A field the command's schema requires (the schema is checked first; this keeps a handler
    /// called without it from trapping).
    static func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw ErrorBody.validationFailed([ErrorDetail(field: field, problem: "required")]) }
        return value
    }

    private static func apply<Item>(_ edit: Edit<Item>, to list: [Item]) throws -> [Item] {
        var list = list
        switch edit {
        case .add(let item):
            list.append(item)
        case .update(let index, let item):
            try check(index, in: list)
            list[index] = item
        case .remove(let index):
            try check(index, in: list)
            list.remove(at: index)
        }
        return list
    }

    private static func check<Item>(_ index: Int, in list: [Item]) throws {
        guard list.indices.contains(index) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "index", problem: "out_of_range",
                                                          extra: ["count": .integer(Int64(list.count))])])
        }
    }
}
