import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.get` (the card with its orders and notes) and `client.history` (newest first).
enum ClientQueries {
    static func get(_ db: SQLDatabase, _ query: ClientRef, _ context: HandlerContext) throws -> ClientCard {
        let row = try ClientStore.require(db, clientID: query.clientID, storeID: query.storeID)
        return ClientStore.card(row, orders: try ClientStore.orders(db, clientID: row.clientID),
                                notes: try ClientNotes.list(db, clientID: row.clientID))
    }

    static func history(_ db: SQLDatabase, _ query: ClientHistoryQuery, _ context: HandlerContext) throws -> ClientHistoryResult {
        _ = try ClientStore.require(db, clientID: query.clientID, storeID: query.storeID)
        let limit = try PageLimit.checked(query.limit, default: 100, allowed: 1...1000)
        let rows = try db.rows("""
            SELECT changed_at, author, field, before, after FROM client_history WHERE client_id = ? ORDER BY id DESC LIMIT ?
            """, [query.clientID, limit])
        return ClientHistoryResult(items: try rows.map { row in
            func value(_ text: String?) throws -> JSONValue { try text.map { try JSONValue.parse(Data($0.utf8)) } ?? .null }
            return ClientHistoryResult.Entry(
                changedAt: RFC3339.date(from: row["changed_at"]) ?? Date(timeIntervalSince1970: 0), author: row["author"],
                field: row["field"], before: try value(row["before"]), after: try value(row["after"]))
        })
    }
}
