import Contracts
import Foundation
import SQLStore

/// A client of a store as far as order attribution needs it; the full card comes with the
/// client registry commands.
struct Client: Codable, Sendable {
    var id: String
    var storeID: String
    var externalID: String?
    var firstName: String
    var lastName: String?
    var phone: String?
    var email: String?
    var source: String
    var dedicatedOperatorID: String?
    var version: Int
    var deleted: Bool
    var mergedInto: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, source, version, deleted, phone, email
        case storeID = "store_id", externalID = "external_id", firstName = "first_name", lastName = "last_name"
        case dedicatedOperatorID = "dedicated_operator_id", mergedInto = "merged_into"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// The columns a `Client` is read from, in this order: not the card's `fields` JSON, which
    /// attribution does not need.
    static let columns = ["id", "store_id", "external_id", "first_name", "last_name", "phone", "email", "source",
                          "dedicated_operator_id", "version", "deleted", "merged_into", "created_at", "updated_at"]
    static let selectSQL = "SELECT \(columns.joined(separator: ", ")) FROM client"

    /// Read by position rather than through `Decodable`: a client is fetched for nearly every order.
    init(row: SQLRow) {
        id = row[0]
        storeID = row[1]
        externalID = row[2]
        firstName = row[3]
        lastName = row[4]
        phone = row[5]
        email = row[6]
        source = row[7]
        dedicatedOperatorID = row[8]
        version = row[9]
        deleted = row[10]
        mergedInto = row[11]
        createdAt = row[12]
        updatedAt = row[13]
    }

    init(id: String, storeID: String, externalID: String?, firstName: String, lastName: String?, phone: String?,
         email: String?, source: String, dedicatedOperatorID: String?, version: Int, deleted: Bool, mergedInto: String?,
         createdAt: Date, updatedAt: Date) {
        (self.id, self.storeID, self.externalID, self.firstName, self.lastName) = (id, storeID, externalID, firstName, lastName)
        (self.phone, self.email, self.source, self.dedicatedOperatorID) = (phone, email, source, dedicatedOperatorID)
        (self.version, self.deleted, self.mergedInto, self.createdAt, self.updatedAt) = (version, deleted, mergedInto, createdAt, updatedAt)
    }

    /// Inserts with a cached statement: guest clients are created on the order hot path.
    func insertFast(_ db: SQLDatabase) throws {
        try db.enqueue("""
            INSERT INTO client (id, store_id, external_id, first_name, last_name, phone, email, source,
                                dedicated_operator_id, version, deleted, merged_into, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, storeID, externalID, firstName, lastName, phone, email, source,
                  dedicatedOperatorID, version, deleted, mergedInto, createdAt, updatedAt])
        var fields = ClientFields()
        (fields.firstName, fields.lastName, fields.phone, fields.email, fields.externalID) = (firstName, lastName, phone, email, externalID)
        try ClientSearchIndex.insertNew(db, clientID: id, storeID: storeID, fields: fields)
    }

    static func find(_ db: SQLDatabase, id: String) throws -> Client? {
        try db.row("\(selectSQL) WHERE id = ?", [id]).map(Client.init(row:))
    }

    /// The keys a buyer is recognised by; each has an index with `store_id`.
    enum Key: String, CaseIterable {
        case externalID = "external_id", phone, email
    }

    func value(of key: Key) -> String? {
        switch key {
        case .externalID: externalID
        case .phone: phone
        case .email: email
        }
    }

    /// The live client of a store with this key: neither deleted nor merged away, the oldest first.
    /// The cards a buyer's keys point at, in one statement (each lookup is a round trip on
    /// PostgreSQL, and a buyer seen for the first time used to cost five): for each key, the live
    /// card holding it (`live`), and a merged card holding it (`merged`), whose survivor is the
    /// buyer's when no live card has any key. A union of index lookups, one per key: an OR over the
    /// keys would make SQLite scan the whole store.
    static func byKeys(_ db: SQLDatabase, storeID: String, values: [Key: String]) throws -> BuyerCards {
        BuyerCards(try db.rows(byKeysSQL, byKeysArguments(storeID: storeID, values: values)))
    }

    /// The arguments of `byKeysSQL`: the store and the key's value (NULL when absent) per arm.
    static func byKeysArguments(storeID: String, values: [Key: String]) -> SQLArguments {
        let arguments = Key.allCases.flatMap { [storeID, values[$0]] as SQLArguments }
        return arguments + arguments
    }

    /// Built once, arms in `Key.allCases` order (live arms, then merged ones): the statement text
    /// is the key of the prepared-statement cache.
    static let byKeysSQL: String = {
        let liveArms = Key.allCases.enumerated().map { arm, key in """
            SELECT k\(arm).*, \(arm) AS arm FROM (\(selectSQL) WHERE store_id = ? AND \(key.rawValue) = ? \
            AND deleted = FALSE AND merged_into IS NULL ORDER BY created_at LIMIT 1) AS k\(arm)
            """ }
        let mergedArms = Key.allCases.enumerated().map { offset, key in
            let arm = Key.allCases.count + offset
            return """
                SELECT k\(arm).*, \(arm) AS arm FROM (\(selectSQL) WHERE store_id = ? AND \(key.rawValue) = ? \
                AND merged_into IS NOT NULL LIMIT 1) AS k\(arm)
                """
        }
        return (liveArms + mergedArms).joined(separator: "\nUNION ALL ")
    }()

    /// The live survivor of a merged card, following merges of merges; nil when it was deleted.
    static func survivor(of merged: Client, _ db: SQLDatabase) throws -> Client? {
        var next = merged.mergedInto
        var seen = Set<String>()
        while let id = next, seen.insert(id).inserted {
            guard let client = try find(db, id: id) else { return nil }
            if client.mergedInto == nil { return client.deleted ? nil : client }
            next = client.mergedInto
        }
        return nil
    }
}
