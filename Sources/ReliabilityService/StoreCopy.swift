import Contracts
import Foundation
import SQLStore
import WorkerKit

/// reliability-service's own copy of the store registry (table `rel_store`), kept from
/// client-service's `store.updated`: services share no database. A version applies only when it
/// is newer than the one held, so a late or replayed event never rolls a store back. A store
/// with no copy yet reads as the defaults.
enum StoreCopy {
    static func updated(_ db: SQLDatabase, _ store: StoreCard, _ context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO rel_store (store_id, name, default_country, currency, time_zone, locale, account_id, version, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET name = excluded.name, default_country = excluded.default_country,
                currency = excluded.currency, time_zone = excluded.time_zone, locale = excluded.locale,
                account_id = excluded.account_id, version = excluded.version, updated_at = excluded.updated_at
            WHERE rel_store.version < excluded.version
            """, [store.storeID, store.name, store.defaultCountry, store.currency, store.timeZone, store.locale,
                             store.accountID, store.version, store.updatedAt.map(RFC3339.string(from:))])
    }

    /// The country a store's phones in national form are read with.
    static func country(_ db: SQLDatabase, storeID: String) throws -> String {
        try db.value("SELECT default_country FROM rel_store WHERE store_id = ?", [storeID], as: String.self)
            ?? StoreCard.defaultCountry
    }
}
