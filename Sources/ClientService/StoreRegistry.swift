import Contracts
import Foundation
import SQLStore

/// The registry of stores (table `store`): each store's name, default country, currency, time
/// zone, locale and account. A store nobody registered yet reads as `StoreCard.defaults`, so a
/// shop's orders and clients are never refused or lost because its store was registered late.
/// Nothing is cached across transactions: every read sees the settings of its own transaction.
enum StoreRegistry {
    private static let columns = "store_id, name, default_country, currency, time_zone, locale, account_id, version, updated_at"

    /// The registered settings of a store, or the defaults.
    static func settings(_ db: SQLDatabase, storeID: String) throws -> StoreCard {
        let row = try db.row("SELECT \(columns) FROM store WHERE store_id = ?", [storeID])
        return row.map(card) ?? .defaults(storeID: storeID)
    }

    /// The country a store's phones in national form are read with. One column of a primary-key
    /// lookup: it runs for every order with a phone.
    static func country(_ db: SQLDatabase, storeID: String) throws -> String {
        try db.value("SELECT default_country FROM store WHERE store_id = ?", [storeID], as: String.self) ?? StoreCard.defaultCountry
    }

    /// The registered stores, by store_id.
    static func registered(_ db: SQLDatabase) throws -> [StoreCard] {
        try db.rows("SELECT \(columns) FROM store ORDER BY store_id").map(card)
    }

    static func save(_ db: SQLDatabase, _ store: StoreCard) throws {
        try db.execute("""
            INSERT INTO store (store_id, name, default_country, currency, time_zone, locale, account_id, version, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET name = excluded.name, default_country = excluded.default_country,
                currency = excluded.currency, time_zone = excluded.time_zone, locale = excluded.locale,
                account_id = excluded.account_id, version = excluded.version, updated_at = excluded.updated_at
            """, [store.storeID, store.name, store.defaultCountry, store.currency, store.timeZone, store.locale,
                             store.accountID, store.version, store.updatedAt.map(RFC3339.string(from:))])
    }

    private static func card(_ row: SQLRow) -> StoreCard {
        StoreCard(storeID: row["store_id"], name: row["name"], defaultCountry: row["default_country"],
                  currency: row["currency"], timeZone: row["time_zone"], locale: row["locale"],
                  accountID: row["account_id"], registered: true, version: row["version"],
                  updatedAt: (row["updated_at"] as String?).flatMap(RFC3339.date(from:)))
    }
}
