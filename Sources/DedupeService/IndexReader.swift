import Contracts
import Foundation
import SQLStore

/// Reads the index into the engine's records: the live cards (not deleted, not merged), their
/// values, their contact persons' phones and e-mails, and the ties between them. Whole stores
/// for an analysis; or some clients and every client sharing a value with them, for a merge that
/// analyses its groups again as they now stand.
enum IndexReader {
    struct Loaded {
        var records: [DedupeRecord]
        var ties: [DedupeTie]
    }

    static func load(_ db: SQLDatabase, stores: [String]) throws -> Loaded {
        let marks = placeholders(stores.count)
        let args: SQLArguments = stores.map { $0 }
        return try build(db, stores: stores,
                         clients: db.rows("\(clientColumns) WHERE store_id IN (\(marks)) AND deleted = FALSE AND merged_into IS NULL ORDER BY client_id", args),
                         keys: db.rows("SELECT client_id, kind, value FROM dedupe_key WHERE store_id IN (\(marks)) ORDER BY client_id, kind, value", args),
                         ties: db.rows("SELECT client_a, client_b, order_id, key_values FROM dedupe_tie WHERE store_id IN (\(marks))", args))
    }

    /// `ids` and the clients of `storeID` sharing a phone, e-mail or INN with them.
    static func load(_ db: SQLDatabase, storeID: String, around ids: [String]) throws -> Loaded {
        var everyone = Set(ids)
        for chunk in chunks(ids) {
            everyone.formUnion(try db.column("""
                SELECT DISTINCT k2.client_id FROM dedupe_key k1 JOIN dedupe_key k2
                    ON k2.store_id = k1.store_id AND k2.kind = k1.kind AND k2.value = k1.value
                WHERE k1.store_id = ? AND k1.kind IN ('phone', 'email', 'inn') AND k1.client_id IN (\(placeholders(chunk.count)))
                """, arguments([storeID] + chunk), as: String.self))
        }
        let all = everyone.sorted()
        var clients: [SQLRow] = [], keys: [SQLRow] = [], ties: [SQLRow] = []
        for chunk in chunks(all) {
            let args = arguments([storeID] + chunk)
            let marks = placeholders(chunk.count)
            clients += try db.rows("\(clientColumns) WHERE store_id = ? AND client_id IN (\(marks)) AND deleted = FALSE AND merged_into IS NULL", args)
            keys += try db.rows("SELECT client_id, kind, value FROM dedupe_key WHERE store_id = ? AND client_id IN (\(marks))", args)
            ties += try db.rows("SELECT client_a, client_b, order_id, key_values FROM dedupe_tie WHERE store_id = ? AND client_a IN (\(marks))", args)
        }
        // Contact persons' own values, for the companies among them.
        let contacts = Set(keys.filter { ($0[1] as String) == "contact" }.map { $0[2] as String }).subtracting(everyone).sorted()
        for chunk in chunks(contacts) {
            keys += try db.rows("SELECT client_id, kind, value FROM dedupe_key WHERE store_id = ? AND client_id IN (\(placeholders(chunk.count)))",
                                arguments([storeID] + chunk))
        }
        return try build(db, stores: [storeID], clients: clients, keys: keys, ties: ties)
    }

    private static let clientColumns = """
        SELECT client_id, store_id, kind, first_name, last_name, email, birthday, address, company, created_at FROM dedupe_client
        """

    private static func build(_ db: SQLDatabase, stores: [String], clients: [SQLRow], keys: [SQLRow], ties tieRows: [SQLRow]) throws -> Loaded {
        var accountOf: [String: String] = [:]
        for row in try db.rows("SELECT store_id, account_id FROM dedupe_store WHERE store_id IN (\(placeholders(stores.count)))",
                               stores.map { $0 }) {
            accountOf[row["store_id"]] = row["account_id"] as String
        }
        var records: [DedupeRecord] = []
        var position: [String: Int] = [:]
        for row in clients {
            let store: String = row["store_id"]
            let created: Date = row["created_at"]
            position[row["client_id"]] = records.count
            records.append(DedupeRecord(
                clientID: row["client_id"], storeID: store, accountID: accountOf[store] ?? store,
                isCompany: (row["kind"] as String?) == "company", firstName: row["first_name"], lastName: row["last_name"],
                email: row["email"], birthday: row["birthday"], address: row["address"], company: row["company"],
                createdAt: created.timeIntervalSince1970))
        }
        // Every card's phones and e-mails (a contact person may be deleted and still a company's contact).
        var phonesOf: [String: [String]] = [:], emailsOf: [String: [String]] = [:]
        var contacts: [(company: Int, contact: String)] = []
        for row in keys {
            let id: String = row[0], kind: String = row[1], value: String = row[2]
            switch kind {
            case "phone": phonesOf[id, default: []].append(value)
            case "email": emailsOf[id, default: []].append(value)
            default: break
            }
            guard let i = position[id] else { continue }
            switch kind {
            case "phone": records[i].phones.append(value)
            case "email": records[i].emails.append(value)
            case "inn": records[i].inns.append(value)
            case "contact": contacts.append((i, value))
            default: break
            }
        }
        for (i, contact) in contacts {
            records[i].contactPhones += phonesOf[contact] ?? []
            records[i].contactEmails += emailsOf[contact] ?? []
        }
        let ties = tieRows.map { row in
            let values = (try? JSONCoding.decoder.decode([String].self, from: Data((row[3] as String).utf8))) ?? []
            return DedupeTie(clientA: row[0], clientB: row[1], orderID: row[2], values: values)
        }
        return Loaded(records: records, ties: ties)
    }

    static func arguments(_ values: [String]) -> SQLArguments { values.map { $0 } }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    /// Lists of ids bound 500 at a time: under every engine's limit of parameters.
    static func chunks(_ ids: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: ids.count, by: 500).map { ids[$0..<min($0 + 500, ids.count)] }
    }
}
