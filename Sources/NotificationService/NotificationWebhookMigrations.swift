import GRDB
import SQLStore

/// The webhook tables, on both engines (registered after notification-service's own steps).
/// `notification_webhook_type` is the (store, event type) → endpoint index an event is routed by;
/// a delivery keeps the event's body, so that a retry posts the very bytes of the first attempt.
/// Shipped steps are never edited; a change is a new numbered step.
public enum NotificationWebhookMigrations {
    public static func sqlite(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("notification-webhooks-1-tables") { db in
            try db.execute(sql: tables(integer: "INTEGER"))
        }
    }

    public static let postgres: [SQLMigrationStep] = [
        SQLMigrationStep("notification-webhooks-pg-1-tables", tables(integer: "BIGINT")),
    ]

    /// The same tables on both engines; times are `SQLTime` text on both.
    private static func tables(integer: String) -> String {
        """
        CREATE TABLE notification_webhook (
            webhook_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            url TEXT NOT NULL,
            description TEXT,
            secret_sealed TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX notification_webhook_on_store ON notification_webhook (store_id, created_at);
        CREATE TABLE notification_webhook_type (
            webhook_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            store_id TEXT NOT NULL,
            PRIMARY KEY (webhook_id, event_type)
        );
        CREATE INDEX notification_webhook_type_on_store_type ON notification_webhook_type (store_id, event_type);
        CREATE TABLE notification_webhook_delivery (
            delivery_id TEXT PRIMARY KEY NOT NULL,
            webhook_id TEXT NOT NULL,
            store_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts \(integer) NOT NULL DEFAULT 0,
            http_status \(integer),
            reason TEXT,
            created_at TEXT NOT NULL,
            completed_at TEXT,
            UNIQUE (webhook_id, event_id)
        );
        CREATE INDEX notification_webhook_delivery_on_webhook ON notification_webhook_delivery (webhook_id, created_at);
        """
    }
}
