import SQLStore

/// reliability-service's tables on PostgreSQL: the tables and columns the SQLite steps
/// (`reliability-1` … `reliability-3`) end with. Times stay RFC 3339 text, as on SQLite, so the
/// same SQL compares them; `signature` is kept (always NULL) only so that both engines have the
/// same columns: signatures are stored sealed alone. Shipped steps are never edited.
enum ReliabilityPostgresMigrations {
    static let steps: [SQLMigrationStep] = [
        SQLMigrationStep("reliability-pg-1-orders-settings-stores", """
            CREATE TABLE rel_order (
                store_id TEXT NOT NULL, order_id TEXT NOT NULL, client_id TEXT, attributed_client_id TEXT, phone TEXT,
                placed_at TEXT, payment_method TEXT, total_amount BIGINT, total_currency TEXT,
                status TEXT NOT NULL DEFAULT 'new', status_changed_at TEXT,
                PRIMARY KEY (store_id, order_id));
            CREATE INDEX rel_order_on_client_id ON rel_order (client_id);
            CREATE TABLE rel_settings (
                store_id TEXT PRIMARY KEY NOT NULL, activate BOOLEAN NOT NULL DEFAULT FALSE, partner_code TEXT,
                signature TEXT, base_url TEXT, timeout_ms BIGINT NOT NULL DEFAULT 3000,
                show_empty_params BOOLEAN NOT NULL DEFAULT FALSE, auto_check_cod BOOLEAN NOT NULL DEFAULT FALSE,
                recheck_after_hours BIGINT NOT NULL DEFAULT 720, last_connection_status TEXT,
                last_connection_reason TEXT, last_connection_at TEXT, updated_at TEXT NOT NULL, signature_sealed TEXT);
            CREATE TABLE rel_merge (merged_id TEXT PRIMARY KEY NOT NULL, survivor_id TEXT NOT NULL);
            CREATE INDEX rel_merge_on_survivor_id ON rel_merge (survivor_id);
            CREATE TABLE rel_check (
                store_id TEXT NOT NULL, phone TEXT NOT NULL, status TEXT NOT NULL, checked_at TEXT NOT NULL,
                PRIMARY KEY (store_id, phone));
            CREATE TABLE rel_store (
                store_id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, default_country TEXT NOT NULL,
                currency TEXT NOT NULL, time_zone TEXT NOT NULL, locale TEXT NOT NULL, account_id TEXT NOT NULL,
                version BIGINT NOT NULL, updated_at TEXT);
            """),
    ]
}
