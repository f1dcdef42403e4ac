import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The index kept from client-service's events: a card's row in `dedupe_client` and its values
/// in `dedupe_key`. A version applies only when it is newer than the one held (a late or replayed
/// event never rolls a card back), and the keys are rewritten with the row they belong to.
enum ClientIndex {
    static func changed(_ db: SQLDatabase, _ event: ClientChanged, _ context: HandlerContext) throws {
        try index(db, event.client)
    }

    /// Writes one card (also from `client.export` pages); false when the index holds a newer version.
    @discardableResult
    static func index(_ db: SQLDatabase, _ card: ClientCard) throws -> Bool {
        let f = card.fields
        let address = f.addresses?.first.flatMap { DedupeKeys.addressLine([$0.city, $0.street, $0.house, $0.apartment]) }
        let company = f.companies?.first.map { $0.name.lowercased() }
        let email = f.email.flatMap(DedupeKeys.email)
        let written = try db.execute("""
            INSERT INTO dedupe_client (client_id, store_id, kind, first_name, last_name, email, birthday, address, company,
                created_at, deleted, merged_into, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET kind = excluded.kind, first_name = excluded.first_name,
                last_name = excluded.last_name, email = excluded.email, birthday = excluded.birthday, address = excluded.address,
                company = excluded.company, created_at = excluded.created_at, deleted = excluded.deleted,
                merged_into = excluded.merged_into, version = excluded.version, updated_at = excluded.updated_at
            WHERE dedupe_client.version < excluded.version
            """, [card.clientID, card.storeID, f.kind?.rawValue, f.firstName, f.lastName, email, f.birthday, address, company,
                  card.createdAt, card.deleted, card.mergedInto, card.version, card.updatedAt])
        guard written > 0 else { return false }
        try db.execute("DELETE FROM dedupe_key WHERE client_id = ?", [card.clientID])
        let country = try StoreCopy.country(db, storeID: card.storeID)
        var keys: [(String, String)] = []
        for raw in [f.phone, f.landlinePhone].compactMap({ $0 }) + (f.extraPhones ?? []) {
            if let phone = DedupeKeys.phone(raw, country: country) { keys.append(("phone", phone)) }
        }
        if let email { keys.append(("email", email)) }
        for company in f.companies ?? [] {
            if let inn = company.inn.flatMap(DedupeKeys.inn) { keys.append(("inn", inn)) }
            for id in company.contactPersonIDs ?? [] { keys.append(("contact", id)) }
        }
        var seen: Set<String> = []
        for (kind, value) in keys where seen.insert(kind + "\u{1}" + value).inserted {
            try db.execute("INSERT INTO dedupe_key (client_id, kind, value, store_id) VALUES (?, ?, ?, ?)",
                           [card.clientID, kind, value, card.storeID])
        }
        return true
    }

    /// `client.deleted` / `client.restored`: a card not seen yet is kept as a bare row with the flag,
    /// so that its later (older) `client.created` does not bring it back.
    static func lifecycle(_ db: SQLDatabase, _ event: ClientLifecycle, deleted: Bool) throws {
        try db.execute("""
            INSERT INTO dedupe_client (client_id, store_id, created_at, deleted, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET deleted = excluded.deleted, version = excluded.version,
                updated_at = excluded.updated_at
            WHERE dedupe_client.version < excluded.version
            """, [event.clientID, event.storeID, event.at, deleted, event.version, event.at])
    }

    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        for id in event.mergedIDs {
            try db.execute("UPDATE dedupe_client SET merged_into = ? WHERE client_id = ? AND store_id = ?",
                           [event.survivorID, id, event.storeID])
        }
    }

    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        for id in event.restoredIDs {
            try db.execute("UPDATE dedupe_client SET merged_into = NULL WHERE client_id = ? AND store_id = ?",
                           [id, event.storeID])
        }
    }

    /// `client.tie_recorded`: an order tying two cards, kept as evidence with its key values (in
    /// their compared form, so that an exclusion list can refuse it).
    static func tie(_ db: SQLDatabase, _ event: ClientTieRecorded, _ context: HandlerContext) throws {
        let country = try StoreCopy.country(db, storeID: event.storeID)
        let values = event.keys.compactMap { key -> String? in
            switch key.kind {
            case .phone: return DedupeKeys.phone(key.value, country: country)
            case .email: return DedupeKeys.email(key.value)
            case .externalID: return nil
            }
        }
        let text = String(decoding: try JSONCoding.encoder.encode(values), as: UTF8.self)
        let pair = [event.attributedTo, event.otherClientID].sorted()
        try db.execute("""
            INSERT INTO dedupe_tie (store_id, order_id, client_a, client_b, key_values, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, order_id, client_a, client_b) DO NOTHING
            """, [event.storeID, event.orderID, pair[0], pair[1], text, event.recordedAt])
    }
}
