import Contracts
import GRDB
import SQLStore

/// client-service's tables. Shipped steps are never edited; a change is a new numbered step.
enum ClientMigrations {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("client-1-clients-orders") { db in
            try db.create(table: "client") { t in
                t.primaryKey("id", .text)
                t.column("store_id", .text).notNull()
                t.column("external_id", .text)
                t.column("first_name", .text).notNull()
                t.column("last_name", .text)
                t.column("phone", .text)
                t.column("email", .text)
                t.column("source", .text).notNull()
                t.column("dedicated_operator_id", .text)
                t.column("version", .integer).notNull().defaults(to: 1)
                t.column("deleted", .boolean).notNull().defaults(to: false)
                t.column("merged_into", .text)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            // The keys an order's buyer is recognised by, within one store.
            try db.create(index: "client_store_external", on: "client", columns: ["store_id", "external_id"])
            try db.create(index: "client_store_phone", on: "client", columns: ["store_id", "phone"])
            try db.create(index: "client_store_email", on: "client", columns: ["store_id", "email"])
            try db.create(table: "client_order") { t in
                t.column("store_id", .text).notNull()
                t.column("order_id", .text).notNull()
                t.primaryKey(["store_id", "order_id"])
                // Null while only a status change has arrived for an order not yet placed.
                t.column("client_id", .text).indexed()
                t.column("placed_at", .datetime)
                t.column("total_amount", .integer)
                t.column("total_currency", .text)
                t.column("payment_method", .text)
                t.column("status", .text).notNull()
                t.column("status_changed_at", .datetime)
            }
        }
        migrator.registerMigration("client-2-card-history") { db in
            // The card's fields as JSON; the ones clients are found by stay in their own indexed columns.
            try db.alter(table: "client") { t in
                t.add(column: "fields", .text).notNull().defaults(to: "{}")
            }
            try db.create(table: "client_history") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("client_id", .text).notNull().indexed()
                t.column("changed_at", .text).notNull()
                t.column("author", .text).notNull()
                t.column("field", .text).notNull()
                t.column("before", .text)
                t.column("after", .text)
            }
        }
        migrator.registerMigration("client-3-search") { db in
            // Free-text search: names, e-mail and phone digits, folded (lower case, ё as е) by
            // ClientSearchIndex before they are written and before a query is matched.
            try db.execute(sql: "CREATE VIRTUAL TABLE client_fts USING fts5(text, company, tokenize = 'unicode61 remove_diacritics 2')")
            for id in try String.fetchAll(db, sql: "SELECT id FROM client") {
                try ClientSearchIndex.update(SQLiteDatabase(db), clientID: id)
            }
        }
        migrator.registerMigration("client-4-merges") { db in
            // One row per merged client: the snapshots and what moved, so that an unmerge can undo it.
            try db.create(table: "client_merge") { t in
                t.primaryKey("merged_id", .text)
                t.column("survivor_id", .text).notNull().indexed()
                t.column("merged_snapshot", .text).notNull()
                t.column("gained", .text).notNull()
                t.column("moved_orders", .text).notNull()
                t.column("merged_at", .text).notNull()
            }
        }
        // An order row is written for every order placed: keyed by (store, order) without a separate
        // rowid table, two B-trees to insert into instead of three.
        migrator.registerMigration("client-5-orders-without-rowid") { db in
            try db.execute(sql: """
                CREATE TABLE client_order_v2 (
                    store_id TEXT NOT NULL, order_id TEXT NOT NULL, client_id TEXT, placed_at DATETIME,
                    total_amount INTEGER, total_currency TEXT, payment_method TEXT, status TEXT NOT NULL,
                    status_changed_at DATETIME,
                    PRIMARY KEY (store_id, order_id)
                ) WITHOUT ROWID;
                INSERT INTO client_order_v2 SELECT store_id, order_id, client_id, placed_at, total_amount, total_currency,
                    payment_method, status, status_changed_at FROM client_order;
                DROP TABLE client_order;
                ALTER TABLE client_order_v2 RENAME TO client_order;
                CREATE INDEX client_order_on_client_id ON client_order (client_id);
                """)
        }
        migrator.registerMigration("client-6-stores") { db in
            // The store registry; a store without a row reads as the defaults (StoreCard.defaults).
            try db.create(table: "store") { t in
                t.primaryKey("store_id", .text)
                t.column("name", .text).notNull()
                t.column("default_country", .text).notNull()
                t.column("currency", .text).notNull()
                t.column("time_zone", .text).notNull()
                t.column("locale", .text).notNull()
                t.column("account_id", .text).notNull().indexed()
                t.column("version", .integer).notNull()
                t.column("updated_at", .text)
            }
        }
        // E-mails stored before EmailAddress: domains in Unicode, local parts in any normal form.
        // Only non-ASCII addresses can change (an ASCII one was already lower-cased); one that
        // cannot be read stays as it was.
        migrator.registerMigration("client-7-email-spelling") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, email FROM client WHERE email IS NOT NULL")
            for row in rows {
                let id: String = row["id"], email: String = row["email"]
                guard !email.utf8.allSatisfy({ $0 < 0x80 }), let key = EmailAddress.key(email),
                      Array(key.utf8) != Array(email.utf8) else { continue }
                try db.execute(sql: "UPDATE client SET email = ? WHERE id = ?", arguments: [key, id])
                try ClientSearchIndex.update(SQLiteDatabase(db), clientID: id)
            }
        }
        migrator.registerMigration("client-8-export-notes-ties") { db in
            // client.export reads a store's cards in id order: one range of this index per page.
            try db.execute(sql: """
                CREATE INDEX client_store_id ON client (store_id, id);
                CREATE TABLE client_note (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, note_id TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
                    store_id TEXT NOT NULL, text TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL);
                CREATE INDEX client_note_on_client_id ON client_note (client_id, id);
                CREATE TABLE client_tie (
                    store_id TEXT NOT NULL, order_id TEXT NOT NULL, other_client_id TEXT NOT NULL,
                    attributed_to TEXT NOT NULL, keys TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    PRIMARY KEY (store_id, order_id, other_client_id)) WITHOUT ROWID;
                """)
        }
    }
}
