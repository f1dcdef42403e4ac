import Contracts
import Foundation
import SQLStore
import WorkerKit

/// How long the delivery log is kept: ended deliveries (and their attempts, and webhook deliveries)
/// older than `keep` are deleted by the service itself, on a `WorkerTimer` every `interval` (one
/// replica at a time on PostgreSQL), so a quiet service prunes too. Each transaction deletes at most
/// `batch` rows of each table, so it stays short; a backlog goes in several in one run.
/// `CRM_NOTIFICATION_RETENTION_DAYS` (default 90). Pending deliveries are never deleted.
public struct DeliveryRetention: Sendable {
    static let environmentVariable = "CRM_NOTIFICATION_RETENTION_DAYS"
    public static let defaultDays = 90

    let keep: Duration
    let interval: Duration
    let batch: Int
    /// Transactions per run at most: a huge backlog is worked off over several runs.
    let batchesPerRun: Int

    init(keep: Duration, interval: Duration = .seconds(600), batch: Int = 1_000, batchesPerRun: Int = 100) {
        self.keep = keep
        self.interval = interval
        self.batch = batch
        self.batchesPerRun = batchesPerRun
    }

    /// The service's timer: prunes in batches, each in its own transaction, until one is not full.
    var timer: WorkerTimer {
        WorkerTimer(name: "delivery-retention", every: interval) { [self] environment in
            for _ in 0..<batchesPerRun {
                let cutoff = Date().addingTimeInterval(-Double(keep.components.seconds))
                let deleted = try environment.write { db, _ in try Self.prune(db, before: cutoff, limit: batch) }
                if deleted.deliveries < batch, deleted.webhooks < batch { return }
            }
        }
    }

    /// The retention the environment asks for; a value that is no positive number of days is refused.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Duration {
        guard let text = environment[environmentVariable], !text.isEmpty else { return .seconds(defaultDays * 86_400) }
        guard let days = Int(text), days > 0 else {
            throw SettingError("\(environmentVariable) must be a positive number of days, not \(text)")
        }
        return .seconds(days * 86_400)
    }

    /// Deletes up to `limit` ended deliveries created before `cutoff` with their attempts, and as
    /// many webhook deliveries; returns how many rows of the two logs went.
    @discardableResult
    static func prune(_ db: SQLDatabase, before cutoff: Date, limit: Int) throws -> (deliveries: Int, webhooks: Int) {
        let old = "SELECT delivery_id FROM notification_delivery WHERE created_at < ? AND status != 'pending' ORDER BY created_at, delivery_id LIMIT ?"
        let time = SQLTime.text(cutoff)
        try db.execute("DELETE FROM notification_attempt WHERE delivery_id IN (\(old))", [time, limit])
        let deliveries = try db.execute("DELETE FROM notification_delivery WHERE delivery_id IN (\(old))", [time, limit])
        let webhooks = try db.execute("""
            DELETE FROM notification_webhook_delivery WHERE delivery_id IN (
                SELECT delivery_id FROM notification_webhook_delivery WHERE created_at < ? AND state != 'pending'
                ORDER BY created_at, delivery_id LIMIT ?)
            """, [time, limit])
        return (deliveries, webhooks)
    }
}

/// A start refused for a setting, with its text.
public struct SettingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
