import GRDB

extension ServiceDatabase {
    /// runtime-3: the inbox is keyed by message id and verified sender (one sender's id cannot
    /// mark another's message as handled); delivery attempts are counted per message and sender;
    /// outbox rows the broker refuses are parked aside with their reason.
    static func registerPoisonGuardMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runtime-4-poison-guard") { db in
            // Rows from before carry no sender (''): the lookup accepts them for any sender
            // until they are pruned, so a redelivery across the upgrade is still recognised.
            try db.execute(sql: """
                CREATE TABLE inbox_v3 (
                    message_id TEXT NOT NULL, user_id TEXT NOT NULL, type TEXT NOT NULL,
                    outcome TEXT NOT NULL, processed_at DATETIME NOT NULL,
                    PRIMARY KEY (message_id, user_id)
                ) WITHOUT ROWID;
                INSERT INTO inbox_v3 SELECT message_id, '', type, outcome, processed_at FROM inbox;
                DROP TABLE inbox;
                ALTER TABLE inbox_v3 RENAME TO inbox;
                CREATE INDEX inbox_processed_at ON inbox (processed_at);

                CREATE TABLE delivery_attempt (
                    message_id TEXT NOT NULL, user_id TEXT NOT NULL, attempts INTEGER NOT NULL,
                    first_at DATETIME NOT NULL, PRIMARY KEY (message_id, user_id)
                ) WITHOUT ROWID;

                CREATE TABLE outbox_parked (
                    id INTEGER PRIMARY KEY, exchange TEXT NOT NULL, routing_key TEXT NOT NULL,
                    message_id TEXT NOT NULL, type TEXT, correlation_id TEXT, content_type TEXT,
                    headers TEXT NOT NULL, body BLOB NOT NULL, created_at DATETIME NOT NULL,
                    parked_at DATETIME NOT NULL, parked_reason TEXT NOT NULL
                );
                """)
        }
    }
}
