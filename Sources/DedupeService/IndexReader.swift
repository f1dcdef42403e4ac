import Contracts
import Foundation
import SQLStore

/// Reads the index of some stores into the engine's records: the live cards (not deleted, not
/// merged), their values, their contact persons' phones and e-mails, and the ties between them.
enum IndexReader {
    struct Loaded {
        var records: [DedupeRecord]
        var ties: [DedupeTie]
    }

    static func load(_ db: SQLDatabase, stores: [String]) throws -> Loaded {
        let marks = Array(repeating: "?", count: stores.count).joined(separator: ", ")
        let args: SQLArguments = stores.map { $0 }
        var accountOf: [String: String] = [:]
        for row in try db.rows("SELECT store_id, account_id FROM dedupe_store WHERE store_id IN (\(marks))", args) {
            accountOf[row["store_id"]] = row["account_id"] as String
        }
        var records: [DedupeRecord] = []
        var position: [String: Int] = [:]
        for row in try db.rows("""
            SELECT client_id, store_id, kind, first_name, last_name, email, birthday, address, company, created_at
            FROM dedupe_client WHERE store_id IN (\(marks)) AND deleted = FALSE AND merged_into IS NULL ORDER BY client_id
            """, args) {
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
        for row in try db.rows("SELECT client_id, kind, value FROM dedupe_key WHERE store_id IN (\(marks)) ORDER BY client_id, kind, value",
                               args) {
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
        var ties: [DedupeTie] = []
        for row in try db.rows("SELECT client_a, client_b, order_id, key_values FROM dedupe_tie WHERE store_id IN (\(marks))", args) {
            let values = (try? JSONCoding.decoder.decode([String].self, from: Data((row[3] as String).utf8))) ?? []
            ties.append(DedupeTie(clientA: row[0], clientB: row[1], orderID: row[2], values: values))
        }
        return Loaded(records: records, ties: ties)
    }
}
