import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The job behind the overdue rule: a payment left unpaid past its block-after deadline blocks its
/// account even when nothing else happens on it. It runs as billing-service's `overdue` timer
/// (`WorkerTimer`: on PostgreSQL one elected replica at a time, as the service's own user), in one
/// transaction whose events leave through the outbox; `billing.overdue.check` does the same for
/// one store when an operator asks.
enum OverdueSweep {
    static func timer(every period: Duration) -> WorkerTimer {
        WorkerTimer(name: "overdue", every: period) { db, context in _ = try tick(db, context) }
    }

    /// One turn over every store with an unblocked account past a deadline; returns those stores.
    @discardableResult
    static func tick(_ db: SQLDatabase, _ context: HandlerContext) throws -> [String] {
        let stores = try db.column("""
            SELECT DISTINCT p.store_id FROM billing_payment p JOIN billing_account a ON a.account_id = p.account_id
            WHERE p.state = 'unpaid' AND p.block_at IS NOT NULL AND p.block_at <= ? AND NOT a.blocked
            ORDER BY p.store_id
            """, [context.now], as: String.self)
        for store in stores {
            _ = try Blocking.checkOverdue(db, BillingOverdueCheck(storeID: store), context)
        }
        return stores
    }
}
