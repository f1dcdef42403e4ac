import Contracts
import Foundation
import SQLStore
import WorkerKit

/// notification-service's own copy of the client cards (`notification_client`), kept from
/// client-service's events: what a send needs (addresses, language, the marketing flags, deleted,
/// merged). A version applies only when it is newer than the one held, so a late or replayed
/// event never rolls a card back.
struct ClientContact: Sendable, Equatable {
    var clientID: String
    var storeID: String
    var email: String?
    var phone: String?
    var language: String?
    var firstName: String?
    var newsletter: Bool
    var promoSMS: Bool
    var deleted: Bool
    var mergedInto: String?
}

enum ClientCopy {
    static func changed(_ db: SQLDatabase, _ event: ClientChanged) throws {
        let card = event.client
        let f = card.fields
        try db.execute("""
            INSERT INTO notification_client (client_id, store_id, email, phone, language, first_name, newsletter, promo_sms,
                deleted, merged_into, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
                language = excluded.language, first_name = excluded.first_name, newsletter = excluded.newsletter,
                promo_sms = excluded.promo_sms, deleted = excluded.deleted, merged_into = excluded.merged_into,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE notification_client.version < excluded.version
            """, [card.clientID, card.storeID, f.email, f.phone, f.language, f.firstName, f.newsletter ?? false,
                  f.promoSMS ?? false, card.deleted, card.mergedInto, card.version, RFC3339.string(from: card.updatedAt)])
    }

    /// `client.deleted` / `client.restored`: a card not seen yet is kept as a bare row with the flag,
    /// so that its later (older) `client.created` does not bring it back to life.
    static func lifecycle(_ db: SQLDatabase, _ event: ClientLifecycle, deleted: Bool) throws {
        try db.execute("""
            INSERT INTO notification_client (client_id, store_id, deleted, version, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET deleted = excluded.deleted, version = excluded.version,
                updated_at = excluded.updated_at
            WHERE notification_client.version < excluded.version
            """, [event.clientID, event.storeID, deleted, event.version, RFC3339.string(from: event.at)])
    }

    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        for id in event.mergedIDs {
            try db.execute("UPDATE notification_client SET merged_into = ? WHERE client_id = ? AND store_id = ?",
                           [event.survivorID, id, event.storeID])
        }
    }

    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        for id in event.restoredIDs {
            try db.execute("UPDATE notification_client SET merged_into = NULL WHERE client_id = ? AND store_id = ?",
                           [id, event.storeID])
        }
    }

    /// The card a send to `clientID` goes to: a merged card's survivor (merges of merges too).
    static func contact(_ db: SQLDatabase, storeID: String, clientID: String) throws -> ClientContact? {
        var id = clientID
        for _ in 0..<16 {
            guard let row = try db.row("SELECT * FROM notification_client WHERE client_id = ? AND store_id = ?", [id, storeID])
            else { return nil }
            if let survivor: String = row["merged_into"] {
                id = survivor
                continue
            }
            return ClientContact(clientID: row["client_id"], storeID: row["store_id"], email: row["email"], phone: row["phone"],
                                 language: row["language"], firstName: row["first_name"], newsletter: row["newsletter"],
                                 promoSMS: row["promo_sms"], deleted: row["deleted"], mergedInto: nil)
        }
        return nil
    }
}
