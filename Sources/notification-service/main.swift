import NotificationService
import WorkerKit

// The definition needs the key that seals SMTP passwords, SMS tokens and the webhooks' signing
// secrets (no key, no start), the built-in templates (a template that does not parse stops the
// start) and the delivery log's retention (CRM_NOTIFICATION_RETENTION_DAYS, default 90).
await WorkerMain.run(.notification) { config in
    NotificationServiceDefinition(secrets: try config.requireSecrets(for: .notification), outbound: config.outbound,
                                  catalog: try TemplateCatalog.load(), retention: try DeliveryRetention.fromEnvironment())
}
