import Contracts
import GRDB
import WorkerKit

/// `order.status_changed` → the status on the client's order list. Changes are applied by
/// `changed_at`: a late, older status never overrides a newer one. A status for an order not yet
/// placed is kept and joined when `order.placed` arrives.
enum OrderStatusTracking {
    static func handle(_ db: Database, _ change: OrderStatusChanged, _ context: HandlerContext) throws {
        try db.cachedStatement(sql: """
            INSERT INTO client_order (store_id, order_id, status, status_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET status = excluded.status, status_changed_at = excluded.status_changed_at
            WHERE client_order.status_changed_at IS NULL OR client_order.status_changed_at < excluded.status_changed_at
            """).execute(arguments: [change.storeID, change.orderID, change.status.rawValue, change.changedAt.databaseText])
    }
}
