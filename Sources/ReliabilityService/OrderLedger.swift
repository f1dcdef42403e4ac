import Contracts
import SQLStore
import WorkerKit

/// Keeps `rel_order` from `order.attributed` and `order.status_changed`. Both are idempotent on
/// (store_id, order_id); statuses are applied by `changed_at`, so a late older status never
/// overrides a newer one, and a status that comes before its order waits in the row. Each is one
/// upsert whose WHERE is checked against the row as it is when written, so replicas writing one
/// order take turns on its row and lose nothing.
enum OrderLedger {
    static func attributed(_ db: SQLDatabase, _ order: OrderAttributed, _ context: HandlerContext) throws {
        try StoreOrderLock.shared(db, storeID: order.storeID)
        try db.execute("""
            INSERT INTO rel_order (store_id, order_id, client_id, attributed_client_id, phone, placed_at, payment_method,
                                   total_amount, total_currency)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET
                client_id = excluded.client_id, attributed_client_id = excluded.attributed_client_id, phone = excluded.phone, placed_at = excluded.placed_at,
                payment_method = excluded.payment_method,
                total_amount = excluded.total_amount, total_currency = excluded.total_currency
            WHERE rel_order.client_id IS NULL
            """, [order.storeID, order.orderID, try MergeLedger.owner(db, of: order.clientID), order.clientID, order.phone,
                  RFC3339.string(from: order.placedAt), order.paymentMethod.rawValue, order.total.amount, order.total.currency])
        // Cash on delivery is where a bad buyer costs the shop: check them, when the store asks for it.
        // Sent as a command to ourselves so that a slow or failing service never holds this event.
        if order.paymentMethod == .cashOnDelivery, order.phone != nil,
           try ReliabilitySettings.load(db, storeID: order.storeID).autoChecks {
            try context.send(command: ReliabilityCheck(storeID: order.storeID, clientID: order.clientID, trigger: .autoCOD), type: "reliability.check")
        }
    }

    static func statusChanged(_ db: SQLDatabase, _ change: OrderStatusChanged, _ context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO rel_order (store_id, order_id, status, status_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET status = excluded.status, status_changed_at = excluded.status_changed_at
            WHERE rel_order.status_changed_at IS NULL OR rel_order.status_changed_at < excluded.status_changed_at
            """, [change.storeID, change.orderID, change.status.rawValue, RFC3339.string(from: change.changedAt)])
    }
}
