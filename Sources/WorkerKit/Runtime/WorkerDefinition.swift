import Contracts
import Foundation
import GRDB
import SQLStore

/// What makes one service: its name, its database schema and its handlers.
/// The runtime adds the rest (status query, inbox and outbox, broker wiring).
public protocol WorkerDefinition: Sendable {
    var name: ServiceName { get }
    /// The service's own numbered migrations on SQLite; shipped steps are never edited.
    func registerMigrations(_ migrator: inout DatabaseMigrator)
    /// The same tables on PostgreSQL, as numbered steps of their own (never edited once shipped);
    /// a test holds that both engines end with the same tables and columns.
    var postgresMigrations: [SQLMigrationStep] { get }
    /// Tables built from the others (a search index), left out of a copy between engines and
    /// rebuilt by `rebuildDerivedTables` on the target instead.
    var derivedTables: Set<String> { get }
    func rebuildDerivedTables(_ db: SQLDatabase) throws
    func registerHandlers(_ registry: inout HandlerRegistry)
    /// The performers of the external calls its handlers record (`HandlerContext.record(effect:)`);
    /// each kind's result comes back as `<kind>.completed`, which `registerHandlers` must handle.
    func registerEffects(_ effects: inout EffectRegistry)
    /// Periodic work of the service's own (see `WorkerTimer`); none by default.
    var timers: [WorkerTimer] { get }
}

extension WorkerDefinition {
    public func registerEffects(_ effects: inout EffectRegistry) {}
    public var postgresMigrations: [SQLMigrationStep] { [] }
    public var derivedTables: Set<String> { [] }
    public func rebuildDerivedTables(_ db: SQLDatabase) throws {}
    public var timers: [WorkerTimer] { [] }
}

public enum WorkerVersion {
    public static let current = "0.1.0"
}

/// `<service>.status`: version, uptime, messages handled, outbox depth, dead letters.
enum StatusHandler {
    static func register(in registry: inout HandlerRegistry, service: ServiceName, startedAt: Date) {
        registry.query(service.statusType, ServiceStatusQuery.self) { db, _, context in
            ServiceStatus(
                service: service.rawValue, version: WorkerVersion.current, startedAt: startedAt,
                uptimeSeconds: Int64(context.now.timeIntervalSince(startedAt)),
                messagesHandled: Int64(try InboxEntry.count(db, outcome: .handled)),
                outboxDepth: Int64(try OutboxMessage.depth(db)),
                deadLetters: Int64(try InboxEntry.count(db, outcome: .dead)),
                outboxParked: Int64(try OutboxParking.count(db)))
        }
    }
}
