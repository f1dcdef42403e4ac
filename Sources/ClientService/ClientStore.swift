import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Reads and writes client cards. The card's fields live as JSON in `client.fields`; the keys a
/// client is found by (external id, phone, e-mail, names) are kept in their indexed columns too,
/// and the columns win when a card is read (guests created by order attribution have only those).
enum ClientStore {
    struct Row {
        var clientID: String
        var storeID: String
        var version: Int
        var deleted: Bool
        var mergedInto: String?
        var createdAt: Date
        var updatedAt: Date
        var fields: ClientFields
    }

    static func load(_ db: SQLDatabase, clientID: String, forUpdate: Bool = false) throws -> Row? {
        let sql = forUpdate ? "SELECT * FROM client WHERE id = ?" + db.forUpdate : "SELECT * FROM client WHERE id = ?"
        guard let row = try db.row(sql, [clientID]) else { return nil }
        return decode(row)
    }

    /// A card from a `SELECT * FROM client` row.
    static func decode(_ row: SQLRow) -> Row {
        var fields = (try? JSONCoding.decoder.decode(ClientFields.self, from: Data((row["fields"] as String).utf8))) ?? ClientFields()
        fields.externalID = row["external_id"]
        fields.firstName = row["first_name"]
        fields.lastName = row["last_name"]
        fields.phone = row["phone"]
        fields.email = row["email"]
        fields.source = row["source"]
        fields.dedicatedOperatorID = row["dedicated_operator_id"]
        fields.kind = fields.kind ?? .person
        fields.newsletter = fields.newsletter ?? true
        fields.characteristic = fields.characteristic ?? "normal"
        return Row(clientID: row["id"], storeID: row["store_id"], version: row["version"], deleted: row["deleted"],
                   mergedInto: row["merged_into"], createdAt: row["created_at"], updatedAt: row["updated_at"], fields: fields)
    }

    /// The client of `storeID` with this id. A client of another store is `not_found` with the
    /// same message as one that does not exist: the answer tells nothing about other stores.
    /// `forUpdate`: the row is about to be changed; on PostgreSQL it is locked, so that replicas
    /// editing one card take turns and the second checks the version the first wrote.
    static func require(_ db: SQLDatabase, clientID: String, storeID: String, forUpdate: Bool = false) throws -> Row {
        guard let row = try load(db, clientID: clientID, forUpdate: forUpdate), row.storeID == storeID else {
            throw ErrorBody(code: .notFound, message: "no client \(clientID) in store \(storeID)")
        }
        return row
    }

    static func insert(_ db: SQLDatabase, _ row: Row) throws {
        try db.execute("""
            INSERT INTO client (id, store_id, external_id, first_name, last_name, phone, email, source, dedicated_operator_id,
                                version, deleted, merged_into, created_at, updated_at, fields)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [row.clientID, row.storeID, row.fields.externalID, row.fields.firstName ?? "", row.fields.lastName,
                  row.fields.phone, row.fields.email, row.fields.source ?? "telephone", row.fields.dedicatedOperatorID,
                  row.version, row.deleted, row.mergedInto, row.createdAt, row.updatedAt, try json(row.fields)])
        try ClientSearchIndex.update(db, clientID: row.clientID)
    }

    static func update(_ db: SQLDatabase, _ row: Row) throws {
        try db.execute("""
            UPDATE client SET external_id = ?, first_name = ?, last_name = ?, phone = ?, email = ?, source = ?,
                dedicated_operator_id = ?, version = ?, deleted = ?, merged_into = ?, updated_at = ?, fields = ?
            WHERE id = ?
            """, [row.fields.externalID, row.fields.firstName ?? "", row.fields.lastName, row.fields.phone,
                  row.fields.email, row.fields.source ?? "telephone", row.fields.dedicatedOperatorID, row.version,
                  row.deleted, row.mergedInto, row.updatedAt, try json(row.fields), row.clientID])
        try ClientSearchIndex.update(db, clientID: row.clientID)
    }

    static func card(_ row: Row, orders: [ClientCard.OrderLine]? = nil, notes: [ClientNote]? = nil) -> ClientCard {
        ClientCard(clientID: row.clientID, storeID: row.storeID, version: row.version, deleted: row.deleted,
                   mergedInto: row.mergedInto, createdAt: row.createdAt, updatedAt: row.updatedAt, fields: row.fields,
                   orders: orders, notes: notes)
    }

    static func orders(_ db: SQLDatabase, clientID: String) throws -> [ClientCard.OrderLine] {
        try db.rows("""
            SELECT order_id, placed_at, total_amount, total_currency, payment_method, status FROM client_order
            WHERE client_id = ? ORDER BY placed_at DESC NULLS LAST
            """, [clientID]).map { row in
            let amount: Int64? = row["total_amount"]
            let currency: String? = row["total_currency"]
            return ClientCard.OrderLine(
                orderID: row["order_id"], placedAt: row["placed_at"],
                total: amount.flatMap { a in currency.map { Money(amount: a, currency: $0) } },
                paymentMethod: row["payment_method"], status: row["status"])
        }
    }

    /// The live client of the store already using this value, other than `except`.
    static func holder(_ db: SQLDatabase, storeID: String, key: Client.Key, value: String, except: String?) throws -> String? {
        try db.value("""
            SELECT id FROM client WHERE store_id = ? AND \(key.rawValue) = ? AND deleted = FALSE AND merged_into IS NULL AND id != ?
            LIMIT 1
            """, [storeID, value, except ?? ""], as: String.self)
    }

    static func recordHistory(_ db: SQLDatabase, clientID: String, at: Date, author: String,
                              changes: [(field: String, before: JSONValue?, after: JSONValue?)]) throws {
        for change in changes {
            try db.execute("""
                INSERT INTO client_history (client_id, changed_at, author, field, before, after) VALUES (?, ?, ?, ?, ?, ?)
                """, [clientID, RFC3339.string(from: at), author, change.field,
                      try change.before.map(jsonText), try change.after.map(jsonText)])
        }
    }

    private static func json(_ fields: ClientFields) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(fields), as: UTF8.self)
    }

    static func jsonText(_ value: JSONValue) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}
