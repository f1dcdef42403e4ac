import GRDB
import WorkerKit

/// reliability-service's tables. Shipped steps are never edited; a change is a new numbered step.
enum ReliabilityMigrations {
    static func register(_ migrator: inout DatabaseMigrator, secrets: SecretBox) {
        migrator.registerMigration("reliability-1-orders-settings") { db in
            // One row per order of a store: (store_id, order_id) is the natural key that makes
            // redelivered and duplicated events count once.
            try db.create(table: "rel_order") { t in
                t.column("store_id", .text).notNull()
                t.column("order_id", .text).notNull()
                t.primaryKey(["store_id", "order_id"])
                // Null while only a status change has arrived for the order.
                t.column("client_id", .text).indexed()
                // The client the order was attributed to; client_id moves with merges, this does not.
                t.column("attributed_client_id", .text)
                t.column("phone", .text)
                t.column("placed_at", .text)
                t.column("payment_method", .text)
                t.column("total_amount", .integer)
                t.column("total_currency", .text)
                t.column("status", .text).notNull().defaults(to: "new")
                t.column("status_changed_at", .text)
            }
            try db.create(table: "rel_settings") { t in
                t.primaryKey("store_id", .text)
                t.column("activate", .boolean).notNull().defaults(to: false)
                t.column("partner_code", .text)
                t.column("signature", .text)
                t.column("base_url", .text)
                t.column("timeout_ms", .integer).notNull().defaults(to: 3000)
                t.column("show_empty_params", .boolean).notNull().defaults(to: false)
                t.column("auto_check_cod", .boolean).notNull().defaults(to: false)
                // How long a stored external result is shown before a view checks again.
                t.column("recheck_after_hours", .integer).notNull().defaults(to: 720)
                t.column("last_connection_status", .text)
                t.column("last_connection_reason", .text)
                t.column("last_connection_at", .text)
                t.column("updated_at", .text).notNull()
            }
            // Which client each merged client was merged into, so that an unmerge can give orders back.
            try db.create(table: "rel_merge") { t in
                t.primaryKey("merged_id", .text)
                t.column("survivor_id", .text).notNull().indexed()
            }
            // The last answer of the external service per phone of a store.
            try db.create(table: "rel_check") { t in
                t.column("store_id", .text).notNull()
                t.column("phone", .text).notNull()
                t.primaryKey(["store_id", "phone"])
                t.column("status", .text).notNull()
                t.column("checked_at", .text).notNull()
            }
        }
        migrator.registerMigration("reliability-2-stores") { db in
            // Our copy of client-service's store registry, from store.updated (StoreCopy).
            try db.create(table: "rel_store") { t in
                t.primaryKey("store_id", .text)
                t.column("name", .text).notNull()
                t.column("default_country", .text).notNull()
                t.column("currency", .text).notNull()
                t.column("time_zone", .text).notNull()
                t.column("locale", .text).notNull()
                t.column("account_id", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("updated_at", .text)
            }
        }
        migrator.registerMigration("reliability-3-sealed-signature") { db in
            // Signatures were stored in plain text; from here on only sealed. secure_delete zeroes
            // the freed bytes, so the old values do not linger in the file's free space.
            let secureDelete = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = \(secureDelete)") }
            try db.alter(table: "rel_settings") { t in t.add(column: "signature_sealed", .text) }
            let rows = try Row.fetchAll(db, sql: "SELECT store_id, signature FROM rel_settings WHERE signature IS NOT NULL")
            for row in rows {
                let storeID: String = row["store_id"]
                let sealed = try secrets.seal(row["signature"], context: ReliabilitySettings.signatureContext(storeID: storeID))
                try db.execute(sql: "UPDATE rel_settings SET signature_sealed = ?, signature = NULL WHERE store_id = ?",
                               arguments: [sealed, storeID])
            }
        }
    }
}
