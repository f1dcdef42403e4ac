import NotificationService
import WorkerKit

// The definition needs the key that seals SMTP passwords, SMS tokens and the webhooks' signing
// secrets (no key, no start) and the built-in templates (a template that does not parse stops the start).
await WorkerMain.run(.notification) { config in
    NotificationServiceDefinition(secrets: try config.requireSecrets(for: .notification), outbound: config.outbound,
                                  catalog: try TemplateCatalog.load())
}
