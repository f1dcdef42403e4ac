import Contracts
import SQLStore
import WorkerKit

/// `order.status_changed` → the status on the client's order list. Changes are applied by
/// `changed_at`: a late, older status never overrides a newer one. A status for an order not yet
/// placed is kept and joined when `order.placed` arrives.
enum OrderStatusTracking {
    static func handle(_ db: SQLDatabase, _ change: OrderStatusChanged, _ context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO client_order (store_id, order_id, status, status_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET status = excluded.status, status_changed_at = excluded.status_changed_at
            WHERE client_order.status_changed_at IS NULL OR client_order.status_changed_at < excluded.status_changed_at
            """, [change.storeID, change.orderID, change.status.rawValue, change.changedAt])
    }
}
