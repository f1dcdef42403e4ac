import Foundation
import GRDB

/// Opens a service's own SQLite database in WAL mode and brings its schema up to date:
/// first the runtime's tables (inbox, outbox), then the service's own numbered migrations.
public enum ServiceDatabase {
    /// `automaticCheckpoints: false` leaves checkpoints to a `WALCheckpointer` (as the Worker does).
    public static func open(directory: URL, service: String, automaticCheckpoints: Bool = true,
                            migrations: (inout DatabaseMigrator) -> Void) throws -> DatabasePool {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        // A writer waits this long for another process's write lock before SQLITE_BUSY.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL commits need no fsync of the main file; NORMAL keeps durability across process crashes.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 64 MiB of page cache per connection (the default is 2 MiB): the indexes of a busy
            // service stay in memory instead of being read back from the file on every batch.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Pages that are not in the cache are read through a memory map, not a pread each.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
            if !automaticCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let pool = try DatabasePool(path: directory.appendingPathComponent("\(service).sqlite").path,
                                    configuration: configuration)
        var migrator = DatabaseMigrator()
        registerRuntimeMigrations(&migrator)
        migrations(&migrator)
        try migrator.migrate(pool)
        return pool
    }

    /// Shipped migrations are never edited; a change is a new numbered step.
    static func registerRuntimeMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runtime-1-inbox-outbox") { db in
            try db.create(table: "inbox") { t in
                t.primaryKey("message_id", .text)
                t.column("type", .text).notNull()
                t.column("outcome", .text).notNull()
                t.column("processed_at", .datetime).notNull()
            }
            try db.create(index: "inbox_outcome", on: "inbox", columns: ["outcome"])
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("exchange", .text).notNull()
                t.column("routing_key", .text).notNull()
                t.column("message_id", .text).notNull()
                t.column("type", .text)
                t.column("correlation_id", .text)
                t.column("content_type", .text)
                t.column("headers", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("created_at", .datetime).notNull()
            }
        }
        // The inbox is written once per message: keyed by message id without a separate rowid
        // table, one B-tree instead of three. The outcome index goes (its entries would now land at
        // random places; only the status counts read it); pruning gets an index by age.
        migrator.registerMigration("runtime-2-inbox-without-rowid") { db in
            try db.execute(sql: """
                CREATE TABLE inbox_v2 (
                    message_id TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, outcome TEXT NOT NULL,
                    processed_at DATETIME NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO inbox_v2 SELECT message_id, type, outcome, processed_at FROM inbox;
                DROP TABLE inbox;
                ALTER TABLE inbox_v2 RENAME TO inbox;
                CREATE INDEX inbox_processed_at ON inbox (processed_at);
                """)
        }
        // External calls recorded in the handler's transaction, performed by the EffectRunner.
        migrator.registerMigration("runtime-3-effects", migrate: EffectTable.create)
        registerPoisonGuardMigration(&migrator)
    }
}
