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
        let orderArguments: SQLArguments = [order.storeID, order.orderID, order.storeID, order.orderID, order.storeID]
        guard let buyer, !buyer.values.isEmpty else {
            let row = try db.row(orderSQL, orderArguments)
            return OrderLookup(known: row?["known"] as Bool? ?? false, clientID: row?["client_id"], country: row?["country"])
        }
        let rows = try db.rows(withCardsSQL, orderArguments + Client.byKeysArguments(storeID: order.storeID, values: buyer.values))
        let first = Client.columns.count + 1
        return OrderLookup(known: rows.first?[first] as Bool? ?? false, clientID: rows.first?[first + 1],
                           country: rows.first?[first + 2], cards: BuyerCards(rows))
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
