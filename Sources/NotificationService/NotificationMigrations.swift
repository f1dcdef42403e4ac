import GRDB

/// notification-service's tables on SQLite. Shipped steps are never edited; a change is a new step
/// (and the same change as a new step in `NotificationPostgresMigrations`).
enum NotificationMigrations {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notification-1-core") { db in
            try db.execute(sql: NotificationSchema.sqlite)
        }
    }

    /// Steps registered after the webhook tables' (`NotificationWebhookMigrations`), which they use.
    static func registerAfterWebhooks(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notification-2-retention") { db in
            try db.execute(sql: NotificationSchema.retentionIndexes)
        }
    }
}

/// The tables' text, kept apart from the registration so that each engine's step reads as one block.
enum NotificationSchema {
    /// - `notification_settings`: one row per store; secrets only sealed (`SecretBox`, context
    ///   `notification/<store>/smtp_password` and `/sms_token`). The e-mail channel reads it too.
    /// - `notification_template`: a store's own templates (the built-in ones come from `templates/`).
    /// - `notification_delivery`: one row per message to a person, keyed by its id; unique per
    ///   store and origin (the command's message id, or an automatic send's own key) so that a
    ///   send handled twice is one delivery. `notification_attempt`: each result its channel reported.
    /// - `notification_client`: the service's copy of the client cards (addresses, language, flags).
    static let sqlite = """
        CREATE TABLE notification_settings (
            store_id TEXT PRIMARY KEY NOT NULL, sender_address TEXT, sender_name TEXT, smtp_url TEXT, smtp_login TEXT,
            smtp_password_sealed TEXT, sms_url TEXT, sms_token_sealed TEXT, sms_sender TEXT, operator_address TEXT,
            locale TEXT NOT NULL DEFAULT 'ru', max_attempts INTEGER NOT NULL DEFAULT 5,
            recipient_hourly_limit INTEGER NOT NULL DEFAULT 20, auto_sends TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL);
        CREATE TABLE notification_template (
            store_id TEXT NOT NULL, name TEXT NOT NULL, locale TEXT NOT NULL, subject TEXT, text TEXT NOT NULL, html TEXT,
            updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
            PRIMARY KEY (store_id, name, locale)) WITHOUT ROWID;
        CREATE TABLE notification_delivery (
            delivery_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, origin_key TEXT NOT NULL, channel TEXT NOT NULL,
            recipient TEXT NOT NULL, client_id TEXT, template TEXT NOT NULL, locale TEXT NOT NULL, category TEXT NOT NULL,
            status TEXT NOT NULL, reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
            completed_at TEXT) WITHOUT ROWID;
        CREATE UNIQUE INDEX notification_delivery_on_origin ON notification_delivery (store_id, origin_key);
        CREATE INDEX notification_delivery_on_recipient ON notification_delivery (store_id, recipient, created_at);
        CREATE INDEX notification_delivery_on_client ON notification_delivery (store_id, client_id, created_at);
        CREATE TABLE notification_attempt (
            delivery_id TEXT NOT NULL, seq INTEGER NOT NULL, calls INTEGER NOT NULL, result TEXT NOT NULL, detail TEXT,
            at TEXT NOT NULL, PRIMARY KEY (delivery_id, seq)) WITHOUT ROWID;
        CREATE TABLE notification_client (
            client_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, email TEXT, phone TEXT, language TEXT,
            first_name TEXT, newsletter INTEGER NOT NULL DEFAULT 0, promo_sms INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0, merged_into TEXT, version INTEGER NOT NULL, updated_at TEXT) WITHOUT ROWID;
        """

    /// What `DeliveryRetention` deletes by: the creation time of both delivery logs (both engines).
    static let retentionIndexes = """
        CREATE INDEX notification_delivery_on_created ON notification_delivery (created_at);
        CREATE INDEX notification_webhook_delivery_on_created ON notification_webhook_delivery (created_at);
        """
}
