import Contracts
import Foundation
import SQLStore
import WorkerKit

/// billing-service's own copy of the client cards (`billing_client`), kept from client-service's
/// events: which providers a client is connected to, deleted, merged. A version applies only when
/// it is newer than the one held, so a late or replayed event never rolls a card back.
enum BillingClientCopy {
    static func changed(_ db: SQLDatabase, _ event: ClientChanged, _ context: HandlerContext) throws {
        let card = event.client
        let providers = String(decoding: try JSONCoding.encoder.encode(card.fields.connectedProviders ?? []), as: UTF8.self)
        try db.execute("""
            INSERT INTO billing_client (client_id, store_id, connected_providers, deleted, merged_into, version, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET connected_providers = excluded.connected_providers,
                deleted = excluded.deleted, merged_into = excluded.merged_into, version = excluded.version,
                updated_at = excluded.updated_at
            WHERE billing_client.version < excluded.version
            """, [card.clientID, card.storeID, providers, card.deleted, card.mergedInto, card.version, card.updatedAt])
    }

    /// A card not seen yet is kept as a bare row with the flag, so its later (older) `client.created`
    /// does not bring it back to life.
    static func lifecycle(_ db: SQLDatabase, _ event: ClientLifecycle, deleted: Bool) throws {
        try db.execute("""
            INSERT INTO billing_client (client_id, store_id, deleted, version, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET deleted = excluded.deleted, version = excluded.version,
                updated_at = excluded.updated_at
            WHERE billing_client.version < excluded.version
            """, [event.clientID, event.storeID, deleted, event.version, event.at])
    }

    static func markMerged(_ db: SQLDatabase, storeID: String, ids: [String], into survivor: String?) throws {
        for id in ids {
            try db.execute("UPDATE billing_client SET merged_into = ? WHERE client_id = ? AND store_id = ?", [survivor, id, storeID])
        }
    }

    /// The providers a client's card is connected to; nil when the card is unknown here.
    static func connectedProviders(_ db: SQLDatabase, storeID: String, clientID: String) throws -> [String]? {
        guard let row = try db.row("SELECT connected_providers, deleted FROM billing_client WHERE client_id = ? AND store_id = ?",
                                   [clientID, storeID]) else { return nil }
        if row["deleted"] as Bool { return nil }
        let text: String = row["connected_providers"]
        return (try? JSONCoding.decoder.decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// The client whose accounts `clientID`'s orders go to: itself, or the end of its chain of merges.
    static func owner(_ db: SQLDatabase, storeID: String, clientID: String) throws -> String {
        var current = clientID
        var seen: Set<String> = [current]
        while let next = try db.value("SELECT merged_into FROM billing_client WHERE client_id = ? AND store_id = ?",
                                      [current, storeID], as: String.self), seen.insert(next).inserted {
            current = next
        }
        return current
    }
}
