import Contracts
import GRDB
import WorkerKit

/// The Dedupe service's wiring: its migrations and handlers. The runtime adds the
/// `dedupe-service.status` query, the inbox and outbox, and the broker topology.
public struct DedupeServiceDefinition: WorkerDefinition {
    public init() {}

    public var name: ServiceName { .dedupe }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {}

    public func registerHandlers(_ registry: inout HandlerRegistry) {}
}
