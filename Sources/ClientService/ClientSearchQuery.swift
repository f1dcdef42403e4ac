import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.search`: free text and exact keys, a page at a time in insertion order; the cursor is
/// the last client's position (SQLite: its rowid; PostgreSQL: its `client_search.seq`), so pages
/// stay stable while clients are added.
enum ClientSearchQuery {
    static func search(_ db: SQLDatabase, _ query: ClientSearch, _ context: HandlerContext) throws -> ClientSearchResult {
        let postgres = db.engine == .postgres
        let position = postgres ? "s.seq" : "c.rowid"
        var sql = "SELECT \(position) AS position, c.id AS id FROM client c"
        var conditions = ["c.store_id = ?"]
        var arguments: SQLArguments = [query.storeID]
        let country = try StoreRegistry.country(db, storeID: query.storeID)
        let text = query.query.map { ClientSearchIndex.terms($0, country: country) }
        let company = query.company.map(ClientSearchIndex.companyTerms)
        if text == .some(nil) || company == .some(nil) { return ClientSearchResult(items: [], nextCursor: nil) }
        if postgres {
            sql += " JOIN client_search s ON s.client_id = c.id"
            if let terms = text ?? nil {
                conditions.append("s.document @@ to_tsquery('simple', ?)")
                arguments.append(ClientSearchPostgres.query(terms))
            }
            if let terms = company ?? nil {
                conditions.append("s.company @@ to_tsquery('simple', ?)")
                arguments.append(ClientSearchPostgres.query(terms))
            }
        } else {
            let matches = [query.query.flatMap { ClientSearchIndex.match($0, country: country) },
                           query.company.flatMap(ClientSearchIndex.companyMatch)].compactMap { $0 }
            if !matches.isEmpty {
                sql += " JOIN client_fts f ON f.rowid = c.rowid"
                conditions.append("client_fts MATCH ?")
                arguments.append(matches.map { "(\($0))" }.joined(separator: " AND "))
            }
        }
        if query.includeDeleted != true { conditions.append("c.deleted = FALSE AND c.merged_into IS NULL") }
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
            conditions.append("\(position) > ?")
            arguments.append(after)
        }
        let limit = try PageLimit.checked(query.limit, default: 20, allowed: 1...100)
        sql += " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY \(position) LIMIT ?"
        arguments.append(limit + 1)
        let rows = try db.rows(sql, arguments)
        let page = rows.prefix(limit)
        let cards = try page.compactMap { try ClientStore.load(db, clientID: $0["id"]).map { ClientStore.card($0) } }
        let next = rows.count > limit ? page.last.map { "r\($0["position"] as Int64)" } : nil
        return ClientSearchResult(items: cards, nextCursor: next)
    }
}
