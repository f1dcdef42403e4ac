import Contracts
import GRDB
import HTTPClient
import SQLStore
import WorkerKit

/// reliability-service: how far to trust a buyer. The runtime adds the
/// `reliability-service.status` query, the inbox and outbox, and the broker topology.
public struct ReliabilityServiceDefinition: WorkerDefinition {
    let checks: ExternalCheckHandlers
    let settings: ReliabilitySettingsHandlers
    let secrets: SecretBox
    let performer: BlacklistPerformer

    /// `secrets` seals the provider signatures in the database (`CRM_SECRET_KEY` in production);
    /// `outbound` is the worker's `config.outbound`: base URLs it would refuse are refused at once.
    public init(secrets: SecretBox, outbound: OutboundPolicy, http: CurlHTTPClient = CurlHTTPClient()) {
        checks = ExternalCheckHandlers(secrets: secrets, outbound: outbound)
        settings = ReliabilitySettingsHandlers(secrets: secrets, outbound: outbound)
        performer = BlacklistPerformer(http: http, secrets: secrets)
        self.secrets = secrets
    }

    public var name: ServiceName { .reliability }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        ReliabilityMigrations.register(&migrator, secrets: secrets)
    }

    public var postgresMigrations: [SQLMigrationStep] { ReliabilityPostgresMigrations.steps }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.event("order.attributed", OrderAttributed.self, handle: OrderLedger.attributed)
        registry.command("reliability.check", ReliabilityCheck.self, handle: checks.check)
        registry.command("reliability.connection.test", ReliabilityConnectionTest.self, handle: checks.testConnection)
        // The provider's answers, from the effect runner (only this service may send them).
        registry.event("reliability.check.completed", ReliabilityCheckCompleted.self, handle: ExternalCheckResults.checked)
        registry.event("reliability.connection.test.completed", ReliabilityConnectionTestCompleted.self,
                       handle: ExternalCheckResults.connectionTested)
        registry.event("order.status_changed", OrderStatusChanged.self, handle: OrderLedger.statusChanged)
        registry.event("client.merged", ClientMerged.self, handle: MergeLedger.merged)
        registry.event("client.unmerged", ClientUnmerged.self, handle: MergeLedger.unmerged)
        registry.event("store.updated", StoreCard.self, handle: StoreCopy.updated)
        registry.query("reliability.get", ReliabilityGet.self, handle: RatingQuery.get)
        registry.query("reliability.settings.get", ReliabilitySettingsGet.self, handle: settings.get)
        registry.command("reliability.settings.update", ReliabilitySettingsUpdate.self, handle: settings.update)
    }

    public func registerEffects(_ effects: inout EffectRegistry) {
        effects.register(BlacklistPerformer.checkKind, performer)
        effects.register(BlacklistPerformer.connectionTestKind, performer)
    }
}
