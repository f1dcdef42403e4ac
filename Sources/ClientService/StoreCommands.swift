import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `store.upsert` (administrators), `store.get` and `store.list`. Each change of a store is
/// published as `store.updated` (the whole card), from which the other services keep their copy.
enum StoreCommands {
    static func upsert(_ db: SQLDatabase, _ command: StoreUpsert, _ context: HandlerContext) throws -> StoreCard {
        guard context.sender.role == .admin else {
            throw ErrorBody(code: .unauthorized, message: "only an administrator registers stores",
                            details: [ErrorDetail(field: "user_id", problem: "unauthorized")])
        }
        let current = try StoreRegistry.settings(db, storeID: command.storeID)
        var store = current
        if let v = command.name { store.name = v }
        if let v = command.defaultCountry { store.defaultCountry = v }
        if let v = command.currency { store.currency = v }
        if let v = command.timeZone { store.timeZone = v }
        if let v = command.locale { store.locale = v }
        if let v = command.accountID { store.accountID = v }
        try StoreValidation.check(store)
        // The same settings sent again change nothing and announce nothing.
        guard !current.registered || store != current else { return current }
        store.registered = true
        store.version = current.version + 1
        store.updatedAt = context.now
        try StoreRegistry.save(db, store)
        try context.publish(event: store, type: "store.updated")
        return store
    }

    /// The access layer already refused a store the sender may not act on.
    static func get(_ db: SQLDatabase, _ query: StoreGet, _ context: HandlerContext) throws -> StoreCard {
        try StoreRegistry.settings(db, storeID: query.storeID)
    }

    /// Every registered store for a sender of every store; a sender of some stores gets each of
    /// them, registered or not, so that an operator sees the stores it works on either way.
    static func list(_ db: SQLDatabase, _ query: StoreList, _ context: HandlerContext) throws -> StoreListResult {
        let stores: [StoreCard]
        if let allowed = context.sender.stores {
            stores = try allowed.sorted().map { try StoreRegistry.settings(db, storeID: $0) }
        } else {
            stores = try StoreRegistry.registered(db)
        }
        return StoreListResult(items: stores.filter { query.accountID == nil || $0.accountID == query.accountID })
    }
}
