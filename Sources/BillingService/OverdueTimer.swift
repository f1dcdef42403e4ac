import Contracts
import Foundation
import Messaging
import SQLStore
import WorkerKit

/// The job behind the overdue rule: a payment left unpaid past its block-after deadline blocks its
/// account even when nothing else happens on it. Every `period` it asks the service itself, through
/// its outbox, for a `billing.overdue.check` of each store with such a payment; the check runs as
/// any command does (one transaction, its events through the outbox, once per message).
public enum OverdueTimer {
    public static func run(storage: SQLStorage, every period: Duration = .seconds(60)) async {
        while !Task.isCancelled {
            _ = try? enqueueChecks(storage, now: Date())
            try? await Task.sleep(for: period)
        }
    }

    /// Returns the stores asked about.
    @discardableResult
    public static func enqueueChecks(_ storage: SQLStorage, now: Date) throws -> [String] {
        try storage.write { db in
            let stores = try db.column("""
                SELECT DISTINCT p.store_id FROM billing_payment p JOIN billing_account a ON a.account_id = p.account_id
                WHERE p.state = 'unpaid' AND p.block_at IS NOT NULL AND p.block_at <= ? AND NOT a.blocked
                """, [now], as: String.self)
            for store in stores {
                let body = try JSONCoding.encoder.encode(BillingOverdueCheck(storeID: store))
                let message = AMQPMessage(body: body, messageID: RandomID.uuid(), type: "billing.overdue.check", timestamp: now)
                try OutboxMessage.append(db, exchange: Exchanges.commands, routingKey: "billing.overdue.check", message: message,
                                         createdAt: now)
            }
            try db.flush()
            return stores
        }
    }
}
