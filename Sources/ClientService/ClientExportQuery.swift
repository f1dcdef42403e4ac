import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.export`: every card of a store (deleted and merged ones too), a page at a time in
/// client_id order, for dedupe-service's index. The cursor is the last client_id of the page, so
/// each page is one range read of the index `client_store_id` (store_id, id), however deep the
/// page, and a card added while the export runs is exported when its id comes after the cursor.
enum ClientExportQuery {
    static let defaultLimit = 500

    static func export(_ db: SQLDatabase, _ query: ClientExport, _ context: HandlerContext) throws -> ClientExportResult {
        let limit = try PageLimit.checked(query.limit, default: defaultLimit, allowed: 1...1000)
        // "" sorts before every id (ids are never empty): the first page.
        let rows = try db.rows("SELECT * FROM client WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?",
                               [query.storeID, query.after ?? "", limit + 1])
        let page = rows.prefix(limit).map { ClientStore.card(ClientStore.decode($0)) }
        return ClientExportResult(clients: page, nextCursor: rows.count > limit ? page.last?.clientID : nil)
    }
}
