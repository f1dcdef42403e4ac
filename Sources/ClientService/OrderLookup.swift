import Contracts
import SQLStore

/// What order attribution reads before it decides: whether the order is known (a status change
/// may have come first, with no client yet) and to whom, the store's country, and the cards the
/// buyer's keys point at. Each statement is a round trip on PostgreSQL, so when the buyer's keys
/// do not depend on the store's country (no phone, or one written with its "+") all of it is
/// one statement; a phone in national form needs the country first, and takes two.
struct OrderLookup {
    var known = false
    var clientID: String?
    var country: String?
    /// nil when the buyer's keys were not known before this read.
    var cards: BuyerCards?

    static func read(_ db: SQLDatabase, _ order: OrderPlaced, buyer: BuyerKeys?) throws -> OrderLookup {
        guard let buyer, !buyer.isEmpty else {
            let row = try db.row(orderSQL, [order.storeID, order.orderID, order.storeID, order.orderID, order.storeID])
            return OrderLookup(known: row?["known"] as Bool? ?? false, clientID: row?["client_id"], country: row?["country"])
        }
        return lookup(of: try db.rows(withCardsSQL, arguments(for: order, buyer: buyer)))
    }

    /// The lookups of a batch's orders in one round trip (`HandlerRegistry.batchRead`), each
    /// handed to its handler as a `Prefetched` sharing the batch's `Writes`.
    static func readBatch(_ db: SQLDatabase, _ orders: [OrderPlaced?]) throws -> [(any Sendable)?] {
        let writes = Writes()
        let buyers = orders.map { order in order.flatMap(earlyKeys) }
        let asked = zip(orders, buyers).compactMap { order, buyer -> (OrderPlaced, BuyerKeys)? in
            guard let order, let buyer, !buyer.isEmpty else { return nil }
            return (order, buyer)
        }
        var found = try db.rowsEach(withCardsSQL, asked.map { arguments(for: $0.0, buyer: $0.1) }).makeIterator()
        return zip(orders, buyers).map { order, buyer -> (any Sendable)? in
            guard let order, let buyer, !buyer.isEmpty, let rows = found.next() else { return Prefetched(lookup: nil, writes: writes) }
            return Prefetched(lookup: lookup(of: rows), writes: writes, keys: Writes.keys(order, buyer))
        }
    }

    /// The buyer's keys when they do not depend on the store's country: no phone, or one written
    /// with its "+" (which reads the same with any default country).
    static func earlyKeys(_ order: OrderPlaced) -> BuyerKeys? {
        order.customer.phone.map(PhoneNumber.isWrittenInternationally) == false
            ? nil : BuyerKeys(order.customer, defaultCountry: StoreCard.defaultCountry)
    }

    private static func arguments(for order: OrderPlaced, buyer: BuyerKeys) -> SQLArguments {
        [order.storeID, order.orderID, order.storeID, order.orderID, order.storeID]
            + Client.byKeysArguments(storeID: order.storeID, values: buyer.values)
    }

    private static func lookup(of rows: [SQLRow]) -> OrderLookup {
        let first = Client.columns.count + 1
        return OrderLookup(known: rows.first?[first] as Bool? ?? false, clientID: rows.first?[first + 1],
                           country: rows.first?[first + 2], cards: BuyerCards(rows))
    }

    /// One order's lookup read with its batch; `lookup` is nil when it could not be (a phone in
    /// national form). Every order of the batch shares `writes`.
    struct Prefetched: @unchecked Sendable {
        var lookup: OrderLookup?
        let writes: Writes
        var keys: [String] = []

        /// The lookup, unless an order handled earlier in the batch wrote this order or a card
        /// with one of its keys (then what was read is stale, and the handler reads again).
        var current: OrderLookup? {
            keys.contains(where: writes.touched.contains) ? nil : lookup
        }
    }

    /// What the batch's orders wrote so far: the order keys they attributed and the buyer keys
    /// of the cards they looked up (a new card among them). Handlers of one batch run one after
    /// the other on one thread.
    final class Writes {
        fileprivate(set) var touched: Set<String> = []

        static func keys(_ order: OrderPlaced, _ buyer: BuyerKeys) -> [String] {
            ["order\u{1F}\(order.storeID)\u{1F}\(order.orderID)"]
                + buyer.values.map { "\($0.key.rawValue)\u{1F}\(order.storeID)\u{1F}\($0.value)" }
        }

        func record(_ order: OrderPlaced, _ buyer: BuyerKeys) {
            touched.formUnion(Self.keys(order, buyer))
        }
    }

    private static let orderSQL = """
        SELECT EXISTS (SELECT 1 FROM client_order WHERE store_id = ? AND order_id = ?) AS known,
               (SELECT client_id FROM client_order WHERE store_id = ? AND order_id = ?) AS client_id,
               (SELECT default_country FROM store WHERE store_id = ?) AS country
        """

    /// The order's row joined to every card of the buyer (or to none: one row of NULLs). The
    /// cards' columns come first, as `Client(row:)` and `BuyerCards` read them.
    private static let withCardsSQL = """
        SELECT c.*, o.known, o.client_id AS order_client_id, o.country FROM (\(orderSQL)) AS o
        LEFT JOIN (\(Client.byKeysSQL)) AS c ON TRUE
        """
}
