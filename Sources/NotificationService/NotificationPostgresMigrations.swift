import SQLStore

/// notification-service's tables on PostgreSQL: the tables and columns the SQLite steps end with.
/// Times are RFC 3339 / `SQLTime` text as on SQLite, flags BOOLEAN (bound as 1/0). Shipped steps
/// are never edited.
enum NotificationPostgresMigrations {
    static let steps: [SQLMigrationStep] = [
        SQLMigrationStep("notification-pg-1-core", """
            CREATE TABLE notification_settings (
                store_id TEXT PRIMARY KEY NOT NULL, sender_address TEXT, sender_name TEXT, smtp_url TEXT, smtp_login TEXT,
                smtp_password_sealed TEXT, sms_url TEXT, sms_token_sealed TEXT, sms_sender TEXT, operator_address TEXT,
                locale TEXT NOT NULL DEFAULT 'ru', max_attempts BIGINT NOT NULL DEFAULT 5,
                recipient_hourly_limit BIGINT NOT NULL DEFAULT 20, auto_sends TEXT NOT NULL DEFAULT '{}',
                updated_at TEXT NOT NULL);
            CREATE TABLE notification_template (
                store_id TEXT NOT NULL, name TEXT NOT NULL, locale TEXT NOT NULL, subject TEXT, text TEXT NOT NULL, html TEXT,
                updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
                PRIMARY KEY (store_id, name, locale));
            CREATE TABLE notification_delivery (
                delivery_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, origin_key TEXT NOT NULL, channel TEXT NOT NULL,
                recipient TEXT NOT NULL, client_id TEXT, template TEXT NOT NULL, locale TEXT NOT NULL, category TEXT NOT NULL,
                status TEXT NOT NULL, reason TEXT, attempts BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
                completed_at TEXT);
            CREATE UNIQUE INDEX notification_delivery_on_origin ON notification_delivery (store_id, origin_key);
            CREATE INDEX notification_delivery_on_recipient ON notification_delivery (store_id, recipient, created_at);
            CREATE INDEX notification_delivery_on_client ON notification_delivery (store_id, client_id, created_at);
            CREATE TABLE notification_attempt (
                delivery_id TEXT NOT NULL, seq BIGINT NOT NULL, calls BIGINT NOT NULL, result TEXT NOT NULL, detail TEXT,
                at TEXT NOT NULL, PRIMARY KEY (delivery_id, seq));
            CREATE TABLE notification_client (
                client_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, email TEXT, phone TEXT, language TEXT,
                first_name TEXT, newsletter BOOLEAN NOT NULL DEFAULT FALSE, promo_sms BOOLEAN NOT NULL DEFAULT FALSE,
                deleted BOOLEAN NOT NULL DEFAULT FALSE, merged_into TEXT, version BIGINT NOT NULL, updated_at TEXT);
            """),
    ]

    /// After the webhook tables' steps, like the SQLite step of the same number.
    static let afterWebhooks: [SQLMigrationStep] = [
        SQLMigrationStep("notification-pg-2-retention", NotificationSchema.retentionIndexes),
    ]
}
