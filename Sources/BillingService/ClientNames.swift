import Contracts
import Foundation
import SQLStore
import WorkerKit

/// billing's copy of what documents print about a client (`billing_client_name`), kept from
/// client-service's events; a version applies only when newer than the one held. Providers'
/// names come from the core's `billing_provider`.
enum ClientNames {
    static func changed(_ db: SQLDatabase, _ event: ClientChanged, _ context: HandlerContext) throws {
        let card = event.client
        let f = card.fields
        let person = [f.lastName, f.firstName].compactMap { $0 }.joined(separator: " ")
        let name = person.isEmpty ? (f.contactPerson ?? f.login ?? f.email) : person
        try db.execute("""
            INSERT INTO billing_client_name (client_id, store_id, name, email, language, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, email = excluded.email, language = excluded.language,
                version = excluded.version, updated_at = excluded.updated_at
            WHERE billing_client_name.version < excluded.version
            """, [card.clientID, card.storeID, name, f.email, f.language, card.version, card.updatedAt])
    }

    /// The name to print for a client: the card's, else its id.
    static func client(_ db: SQLDatabase, storeID: String, clientID: String) throws -> String {
        let name = try db.value("SELECT name FROM billing_client_name WHERE client_id = ? AND store_id = ?", [clientID, storeID], as: String.self)
        return name ?? clientID
    }

    static func provider(_ db: SQLDatabase, storeID: String, providerID: String) throws -> String {
        let name = try db.value("SELECT name FROM billing_provider WHERE store_id = ? AND provider_id = ?", [storeID, providerID],
                                as: String.self)
        return name ?? providerID
    }

    /// The client's active account with the provider (the core's `billing_account`), if open.
    static func account(_ db: SQLDatabase, storeID: String, clientID: String, providerID: String) throws -> (id: String, currency: String)? {
        guard let row = try db.row("""
            SELECT account_id, currency FROM billing_account
            WHERE store_id = ? AND client_id = ? AND provider_id = ? AND active AND joined_into IS NULL
            """, [storeID, clientID, providerID]) else { return nil }
        return (row["account_id"], row["currency"])
    }
}
