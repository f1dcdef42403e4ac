import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Evidence of duplicates that attribution sees: an order whose keys (phone, e-mail, the shop's
/// user id) belong to two different live cards of the store. The order goes to the card its first
/// key finds, as always; each other card it also pointed at is a tie, written to `client_tie` and
/// published as `client.tie_recorded` in the order's transaction (so through the outbox, once).
/// Any two keys on two cards make a tie: a phone against an e-mail or a user id (the case the
/// issue names), and a user id against an e-mail too.
enum AttributionTies {
    /// One of the order's keys and the live card that holds it.
    struct Holder {
        var key: Client.Key
        var value: String
        var clientID: String
    }

    static func record(_ db: SQLDatabase, storeID: String, orderID: String, attributedTo: String, holders: [Holder],
                       context: HandlerContext) throws {
        var others: [String] = []
        for holder in holders where holder.clientID != attributedTo && !others.contains(holder.clientID) {
            others.append(holder.clientID)
        }
        for other in others {
            let keys = holders.filter { $0.clientID == attributedTo || $0.clientID == other }.map {
                ClientTieRecorded.Key(kind: kind($0.key), value: $0.value, clientID: $0.clientID)
            }
            let keysText = String(decoding: try JSONCoding.encoder.encode(keys), as: UTF8.self)
            // Once per (order, other card): the same order placed again records nothing new.
            let inserted = try db.execute("""
                INSERT INTO client_tie (store_id, order_id, other_client_id, attributed_to, keys, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, order_id, other_client_id) DO NOTHING
                """, [storeID, orderID, other, attributedTo, keysText, RFC3339.string(from: context.now)])
            guard inserted > 0 else { continue }
            try context.publish(event: ClientTieRecorded(storeID: storeID, orderID: orderID, attributedTo: attributedTo,
                                                         otherClientID: other, keys: keys, recordedAt: context.now),
                                type: "client.tie_recorded")
        }
    }

    private static func kind(_ key: Client.Key) -> ClientTieRecorded.Key.Kind {
        switch key {
        case .externalID: .externalID
        case .phone: .phone
        case .email: .email
        }
    }
}
