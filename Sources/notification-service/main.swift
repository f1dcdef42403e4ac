import NotificationService
import WorkerKit

// The definition needs the key that seals the webhooks' signing secrets: no key, no start.
await WorkerMain.run(.notification) { config in
    NotificationServiceDefinition(secrets: try config.requireSecrets(for: .notification), outbound: config.outbound)
}
