import Contracts
import GRDB
import WorkerKit

/// The Billing service's wiring: its migrations and handlers. The runtime adds the
/// `billing-service.status` query, the inbox and outbox, and the broker topology.
public struct BillingServiceDefinition: WorkerDefinition {
    public init() {}

    public var name: ServiceName { .billing }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {}

    public func registerHandlers(_ registry: inout HandlerRegistry) {}
}
