import Contracts
import GRDB
import WorkerKit

/// The Notification service's wiring: its migrations and handlers. The runtime adds the
/// `notification-service.status` query, the inbox and outbox, and the broker topology.
public struct NotificationServiceDefinition: WorkerDefinition {
    public init() {}

    public var name: ServiceName { .notification }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {}

    public func registerHandlers(_ registry: inout HandlerRegistry) {}
}
