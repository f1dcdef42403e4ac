import Contracts
import Foundation
import SQLStore
import Synchronization
import WorkerKit

/// How long the delivery log is kept: ended deliveries (and their attempts, and webhook deliveries)
/// older than `keep` are deleted by the service itself. The job runs in the consumer, after a
/// channel's result is handled, at most once per `interval` in a process, and deletes at most
/// `batch` rows of each table per run, so a batch stays short; a backlog goes in a few runs.
/// `CRM_NOTIFICATION_RETENTION_DAYS` (default 90). Pending deliveries are never deleted.
public final class DeliveryRetention: Sendable {
    static let environmentVariable = "CRM_NOTIFICATION_RETENTION_DAYS"
    public static let defaultDays = 90

    let keep: Duration
    let interval: Duration
    let batch: Int
    private let lastRun = Mutex<ContinuousClock.Instant?>(nil)

    init(keep: Duration, interval: Duration = .seconds(600), batch: Int = 1_000) {
        self.keep = keep
        self.interval = interval
        self.batch = batch
    }

    /// The retention the environment asks for; a value that is no positive number of days is refused.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Duration {
        guard let text = environment[environmentVariable], !text.isEmpty else { return .seconds(defaultDays * 86_400) }
        guard let days = Int(text), days > 0 else {
            throw SettingError("\(environmentVariable) must be a positive number of days, not \(text)")
        }
        return .seconds(days * 86_400)
    }

    /// Runs `prune` when `interval` has passed since the last run in this process.
    func pruneIfDue(_ db: SQLDatabase, now: Date) throws {
        let clock = ContinuousClock.now
        let due = lastRun.withLock { last in
            guard last.map({ clock - $0 >= interval }) ?? true else { return false }
            last = clock
            return true
        }
        guard due else { return }
        _ = try Self.prune(db, before: now.addingTimeInterval(-Double(keep.components.seconds)), limit: batch)
    }

    /// Deletes up to `limit` ended deliveries created before `cutoff` with their attempts, and as
    /// many webhook deliveries; returns how many rows of the two logs went.
    @discardableResult
    static func prune(_ db: SQLDatabase, before cutoff: Date, limit: Int) throws -> Int {
        let old = "SELECT delivery_id FROM notification_delivery WHERE created_at < ? AND status != 'pending' ORDER BY created_at, delivery_id LIMIT ?"
        let time = SQLTime.text(cutoff)
        try db.execute("DELETE FROM notification_attempt WHERE delivery_id IN (\(old))", [time, limit])
        let deliveries = try db.execute("DELETE FROM notification_delivery WHERE delivery_id IN (\(old))", [time, limit])
        let webhooks = try db.execute("""
            DELETE FROM notification_webhook_delivery WHERE delivery_id IN (
                SELECT delivery_id FROM notification_webhook_delivery WHERE created_at < ? AND state != 'pending'
                ORDER BY created_at, delivery_id LIMIT ?)
            """, [time, limit])
        return deliveries + webhooks
    }
}

/// A start refused for a setting, with its text.
public struct SettingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
