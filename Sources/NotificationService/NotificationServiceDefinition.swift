import Contracts
import GRDB
import HTTPClient
import SQLStore
import WorkerKit

/// The Notification service's wiring: its migrations and handlers. The runtime adds the
/// `notification-service.status` query, the inbox and outbox, and the broker topology.
public struct NotificationServiceDefinition: WorkerDefinition {
    let webhooks: NotificationWebhooks

    /// `secrets` seals what the service keeps secret (webhook signing secrets) with `CRM_SECRET_KEY`;
    /// `outbound` is the worker's `config.outbound`: addresses it would refuse are refused at once.
    public init(secrets: SecretBox, outbound: OutboundPolicy, http: CurlHTTPClient = CurlHTTPClient()) {
        webhooks = NotificationWebhooks(secrets: secrets, outbound: outbound, http: http)
    }

    public var name: ServiceName { .notification }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        NotificationWebhookMigrations.sqlite(&migrator)
    }

    public var postgresMigrations: [SQLMigrationStep] { NotificationWebhookMigrations.postgres }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        // Last: its event handlers follow the others of the same type (`alsoOnEvent`); an `event(...)`
        // registered after them would replace them.
        webhooks.registerHandlers(&registry)
    }

    public func registerEffects(_ effects: inout EffectRegistry) {
        webhooks.registerEffects(&effects)
    }
}
