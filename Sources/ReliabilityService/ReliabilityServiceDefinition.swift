import Contracts
import GRDB
import WorkerKit

/// The Reliability service's wiring: its migrations and handlers. The runtime adds the
/// `reliability-service.status` query, the inbox and outbox, and the broker topology.
public struct ReliabilityServiceDefinition: WorkerDefinition {
    public init() {}

    public var name: ServiceName { .reliability }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {}

    public func registerHandlers(_ registry: inout HandlerRegistry) {}
}
