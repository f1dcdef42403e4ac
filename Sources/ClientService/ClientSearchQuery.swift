import Contracts
import Foundation
import GRDB
import WorkerKit

/// `client.search`: free text and exact keys, a page at a time in insertion order; the cursor is
/// the last client's rowid, so pages stay stable while clients are added.
enum ClientSearchQuery {
    static func search(_ db: Database, _ query: ClientSearch, _ context: HandlerContext) throws -> ClientSearchResult {
        var sql = "SELECT c.rowid AS rowid, c.id AS id FROM client c"
        var conditions = ["c.store_id = ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [query.storeID]
        let country = try StoreRegistry.country(db, storeID: query.storeID)
        let matches = [query.query.map { ClientSearchIndex.match($0, country: country) }, query.company.map(ClientSearchIndex.companyMatch)].compactMap { $0 }
        if !matches.isEmpty {
            guard matches.allSatisfy({ $0 != nil }) else { return ClientSearchResult(items: [], nextCursor: nil) }
            sql += " JOIN client_fts f ON f.rowid = c.rowid"
            conditions.append("client_fts MATCH ?")
            arguments.append(matches.compactMap { $0 }.map { "(\($0))" }.joined(separator: " AND "))
        }
        if query.includeDeleted != true { conditions.append("c.deleted = 0 AND c.merged_into IS NULL") }
        if let email = query.email {
            conditions.append("c.email = ?")
            arguments.append(EmailAddress.lookupKey(email))
        }
        if let raw = query.phone {
            guard let phone = PhoneNumber.normalize(raw, defaultCountry: country) else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "phone", problem: "invalid_format")])
            }
            conditions.append("c.phone = ?")
            arguments.append(phone)
        }
        if let id = query.clientID {
            conditions.append("c.id = ?")
            arguments.append(id)
        }
        if let cursor = query.cursor {
            guard cursor.hasPrefix("r"), let after = Int64(cursor.dropFirst()) else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "cursor", problem: "invalid_value")])
            }
            conditions.append("c.rowid > ?")
            arguments.append(after)
        }
        let limit = try PageLimit.checked(query.limit, default: 20, allowed: 1...100)
        sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY c.rowid LIMIT ?"
        arguments.append(limit + 1)
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        let page = rows.prefix(limit)
        let cards = try page.compactMap { try ClientStore.load(db, clientID: $0["id"]).map { ClientStore.card($0) } }
        let next = rows.count > limit ? page.last.map { "r\($0["rowid"] as Int64)" } : nil
        return ClientSearchResult(items: cards, nextCursor: next)
    }
}
