import Contracts
import Foundation
import SQLStore
import WorkerKit

/// dedupe-service's copy of the store registry (`dedupe_store`) from `store.updated`: the
/// account a store belongs to (cross-store matching stays inside it) and its default country
/// (phones an operator types in national form). A store never seen is its own account.
enum StoreCopy {
    static func updated(_ db: SQLDatabase, _ store: StoreCard, _ context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO dedupe_store (store_id, account_id, default_country, version, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET account_id = excluded.account_id, default_country = excluded.default_country,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE dedupe_store.version < excluded.version
            """, [store.storeID, store.accountID, store.defaultCountry, store.version, store.updatedAt.map(RFC3339.string(from:))])
    }

    static func account(_ db: SQLDatabase, storeID: String) throws -> String {
        try db.value("SELECT account_id FROM dedupe_store WHERE store_id = ?", [storeID], as: String.self) ?? storeID
    }

    static func country(_ db: SQLDatabase, storeID: String) throws -> String {
        try db.value("SELECT default_country FROM dedupe_store WHERE store_id = ?", [storeID], as: String.self)
            ?? StoreCard.defaultCountry
    }

    /// The stores of `storeID`'s account (itself at least).
    static func storesOfAccount(_ db: SQLDatabase, storeID: String) throws -> [String] {
        let account = try account(db, storeID: storeID)
        let stores = try db.column("SELECT store_id FROM dedupe_store WHERE account_id = ? ORDER BY store_id", [account], as: String.self)
        return stores.contains(storeID) ? stores : [storeID] + stores
    }
}
