import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The address and company commands: each is a `client.update` of one list, so that the version
/// check, the history (field `addresses` or `companies`, before and after), the search index and
/// the `client.updated` event work exactly as for any other change of the card.
enum ClientListEdits {
    static func addAddress(_ db: SQLDatabase, _ command: ClientAddressEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.addresses, .add(required(command.address, "address")), context)
    }

    static func updateAddress(_ db: SQLDatabase, _ command: ClientAddressEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.addresses,
                 .update(index: required(command.index, "index"), required(command.address, "address")), context)
    }

    static func removeAddress(_ db: SQLDatabase, _ command: ClientAddressEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.addresses, .remove(index: required(command.index, "index")), context)
    }

    static func addCompany(_ db: SQLDatabase, _ command: ClientCompanyEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.companies, .add(required(command.company, "company")), context)
    }

    static func updateCompany(_ db: SQLDatabase, _ command: ClientCompanyEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.companies,
                 .update(index: required(command.index, "index"), required(command.company, "company")), context)
    }

    static func removeCompany(_ db: SQLDatabase, _ command: ClientCompanyEdit, _ context: HandlerContext) throws -> ClientCard {
        try edit(db, command.storeID, command.clientID, command.version, \.companies, .remove(index: required(command.index, "index")), context)
    }

    private enum Edit<Item> {
        case add(Item)
        case update(index: Int, Item)
        case remove(index: Int)
    }

    private static func edit<Item>(_ db: SQLDatabase, _ storeID: String, _ clientID: String, _ version: Int,
                                   _ list: WritableKeyPath<ClientFields, [Item]?>,
                                   _ edit: Edit<Item>, _ context: HandlerContext) throws -> ClientCard {
        var items = try ClientStore.require(db, clientID: clientID, storeID: storeID, forUpdate: true).fields[keyPath: list] ?? []
        switch edit {
        case .add(let item):
            items.append(item)
        case .update(let index, let item):
            try check(index, in: items)
            items[index] = item
        case .remove(let index):
            try check(index, in: items)
            items.remove(at: index)
        }
        var changes = ClientFields()
        changes[keyPath: list] = items
        return try ClientCommands.update(db, ClientUpdate(storeID: storeID, clientID: clientID, version: version, changes: changes), context)
    }

    private static func check<Item>(_ index: Int, in list: [Item]) throws {
        guard list.indices.contains(index) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "index", problem: "out_of_range",
                                                          extra: ["count": .integer(Int64(list.count))])])
        }
    }

    /// A field the command's schema requires (the schema is checked first; this keeps a handler
    /// called without it from trapping).
    private static func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else { throw ErrorBody.validationFailed([ErrorDetail(field: field, problem: "required")]) }
        return value
    }
}
