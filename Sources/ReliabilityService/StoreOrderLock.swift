import SQLStore

/// Who owns a store's orders changes in two places: `order.attributed` reads the merge links and
/// then writes an order row; `client.merged`/`client.unmerged` write the links and then re-key
/// the order rows they can see. On PostgreSQL (READ COMMITTED) two replicas can each miss the
/// other's uncommitted rows: an order attributed to A while A is merged into B would keep A for
/// good. So on PostgreSQL both take a per-store advisory lock held until commit: attributions
/// share it (they never block one another), merges and unmerges take it alone. Each next
/// statement then sees what the other committed. SQLite has one writer: nothing to take.
enum StoreOrderLock {
    /// Before an order's owner is looked up.
    static func shared(_ db: SQLDatabase, storeID: String) throws {
        guard db.engine == .postgres else { return }
        try db.execute("SELECT pg_advisory_xact_lock_shared(hashtextextended(?, 0))", [key(storeID)])
    }

    /// Before merge links change and orders are re-keyed.
    static func exclusive(_ db: SQLDatabase, storeID: String) throws {
        guard db.engine == .postgres else { return }
        try db.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key(storeID)])
    }

    private static func key(_ storeID: String) -> String { "rel-order-owner/" + storeID }
}
