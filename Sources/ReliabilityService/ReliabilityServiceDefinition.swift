import Contracts
import GRDB
import WorkerKit

/// reliability-service: how far to trust a buyer. The runtime adds the
/// `reliability-service.status` query, the inbox and outbox, and the broker topology.
public struct ReliabilityServiceDefinition: WorkerDefinition {
    let checks: ExternalCheckHandlers
    let settings: ReliabilitySettingsHandlers
    let secrets: SecretBox

    /// `secrets` seals the provider signatures in the database (`CRM_SECRET_KEY` in production).
    public init(checker: ExternalChecker = ExternalChecker(), secrets: SecretBox) {
        checks = ExternalCheckHandlers(checker: checker, secrets: secrets)
        settings = ReliabilitySettingsHandlers(secrets: secrets)
        self.secrets = secrets
    }

    public var name: ServiceName { .reliability }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        ReliabilityMigrations.register(&migrator, secrets: secrets)
    }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.event("order.attributed", OrderAttributed.self, handle: OrderLedger.attributed)
        registry.command("reliability.check", ReliabilityCheck.self, handle: checks.check)
        registry.command("reliability.connection.test", ReliabilityConnectionTest.self, handle: checks.testConnection)
        registry.event("order.status_changed", OrderStatusChanged.self, handle: OrderLedger.statusChanged)
        registry.event("client.merged", ClientMerged.self, handle: MergeLedger.merged)
        registry.event("client.unmerged", ClientUnmerged.self, handle: MergeLedger.unmerged)
        registry.event("store.updated", StoreCard.self, handle: StoreCopy.updated)
        registry.query("reliability.get", ReliabilityGet.self, handle: RatingQuery.get)
        registry.query("reliability.settings.get", ReliabilitySettingsGet.self, handle: settings.get)
        registry.command("reliability.settings.update", ReliabilitySettingsUpdate.self, handle: settings.update)
    }
}
