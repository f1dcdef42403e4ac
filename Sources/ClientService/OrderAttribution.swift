import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `order.placed` → the buyer resolved to a client → `order.attributed`.
/// The buyer is found by the shop's user id, else by normalized phone, else by e-mail within
/// the store; else a guest client is created. The same order placed twice (even under two
/// message ids) is attributed once: (store_id, order_id) is the natural key. When its keys point
/// at two live cards, the tie is recorded too (AttributionTies).
enum OrderAttribution {
    static func handle(_ db: SQLDatabase, _ order: OrderPlaced, _ context: HandlerContext) throws {
        // Read with the rest of the batch when it could be and nothing since made it stale; else
        // here, in one statement when the buyer's keys need no store country.
        let prefetched = context.batchRead as? OrderLookup.Prefetched
        let early = OrderLookup.earlyKeys(order)
        let lookup = try prefetched?.current ?? OrderLookup.read(db, order, buyer: early)
        let exists = lookup.known
        if lookup.clientID != nil { return }
        let buyer = early ?? BuyerKeys(order.customer, defaultCountry: lookup.country ?? StoreCard.defaultCountry)
        prefetched?.writes.record(order, buyer)
        let (client, matchedBy, holders) = try resolve(db, storeID: order.storeID, buyer: buyer, customer: order.customer,
                                                       cards: lookup.cards, now: context.now)
        if !exists {
            try db.enqueue("""
                INSERT INTO client_order (store_id, order_id, client_id, placed_at, total_amount, total_currency, payment_method, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'new')
                """, [order.storeID, order.orderID, client.id, order.placedAt, order.total.amount,
                      order.total.currency, order.paymentMethod.rawValue])
        } else {
            // A status change came first: keep its status, fill in the rest.
            try db.execute("""
                UPDATE client_order SET client_id = ?, placed_at = ?, total_amount = ?, total_currency = ?, payment_method = ?
                WHERE store_id = ? AND order_id = ?
                """, [client.id, order.placedAt, order.total.amount, order.total.currency,
                      order.paymentMethod.rawValue, order.storeID, order.orderID])
        }
        try context.publish(event: OrderAttributed(
            storeID: order.storeID, orderID: order.orderID, clientID: client.id, placedAt: order.placedAt,
            total: order.total, paymentMethod: order.paymentMethod, matchedBy: matchedBy,
            phone: client.phone ?? buyer.phone, dedicatedOperatorID: client.dedicatedOperatorID), type: "order.attributed")
        if holders.count > 1 {
            try AttributionTies.record(db, storeID: order.storeID, orderID: order.orderID, attributedTo: client.id,
                                       holders: holders, context: context)
        }
    }

    /// `cards`: the buyer's cards when they were read with the order; else they are read here.
    private static func resolve(_ db: SQLDatabase, storeID: String, buyer: BuyerKeys, customer: OrderCustomer,
                                cards: BuyerCards?, now: Date) throws -> (Client, OrderAttributed.MatchedBy, [AttributionTies.Holder]) {
        let keys: [(Client.Key, String?, OrderAttributed.MatchedBy)] = [
            (.externalID, buyer.externalID, .externalID), (.phone, buyer.phone, .phone), (.email, buyer.email, .email),
        ]
        if !buyer.isEmpty {
            let cards = try cards ?? Client.byKeys(db, storeID: storeID, values: buyer.values)
            // The first key that finds a live card wins; the others are kept to see ties.
            var found: (Client, OrderAttributed.MatchedBy)?
            var holders: [AttributionTies.Holder] = []
            for (key, value, matchedBy) in keys {
                guard let value, let client = cards.live[key] else { continue }
                found = found ?? (client, matchedBy)
                holders.append(AttributionTies.Holder(key: key, value: value, clientID: client.id))
            }
            if let found { return (found.0, found.1, holders) }
            // A buyer whose card was merged away is the survivor's.
            if let merged = cards.merged, let client = try Client.survivor(of: merged, db) {
                return (client, buyer.externalID != nil ? .externalID : buyer.phone != nil ? .phone : .email, [])
            }
        }
        let client = Client(
            id: RandomID.uuid().lowercased(), storeID: storeID, externalID: buyer.externalID,
            firstName: customer.firstName, lastName: customer.lastName, phone: buyer.phone, email: buyer.email,
            source: "order", dedicatedOperatorID: nil, version: 1, deleted: false, mergedInto: nil,
            createdAt: now, updatedAt: now)
        try client.insertFast(db)
        return (client, .newGuest, [])
    }
}

/// The buyer's identifying keys in the form they are stored and compared in.
/// A phone (or e-mail) that is no valid number (address) is left out rather than refusing the
/// order: the order happened, and its other keys (external id, e-mail, phone) still find the
/// buyer; with none left it goes to a new guest card.
struct BuyerKeys {
    var externalID: String?
    var phone: String?
    var email: String?

    /// `defaultCountry`: the store's, for a phone written in national form. A phone or e-mail
    /// that cannot be read is left out: the order is attributed by its other keys.
    init(_ customer: OrderCustomer, defaultCountry: String) {
        externalID = customer.externalID
        phone = customer.phone.flatMap { PhoneNumber.normalize($0, defaultCountry: defaultCountry) }
        email = customer.email.flatMap(EmailAddress.key)
    }

    /// No key at all: the buyer can only be a new guest.
    var isEmpty: Bool { externalID == nil && phone == nil && email == nil }

    /// The keys present, by the column they are looked up in.
    var values: [Client.Key: String] {
        var values: [Client.Key: String] = [:]
        (values[.externalID], values[.phone], values[.email]) = (externalID, phone, email)
        return values
    }
}
