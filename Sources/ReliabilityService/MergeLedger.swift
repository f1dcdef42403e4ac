import Contracts
import GRDB
import WorkerKit
import Foundation

/// `client.merged` and `client.unmerged`: the orders of merged clients count for the survivor;
/// an unmerge gives each order back to whoever owns its attributed client now. `rel_merge` keeps
/// the links (not flattened), so merges of merges come apart in any order.
enum MergeLedger {
    static func merged(_ db: Database, _ event: ClientMerged, _ context: HandlerContext) throws {
        for id in event.mergedIDs where id != event.survivorID {
            try db.execute(sql: "INSERT OR REPLACE INTO rel_merge (merged_id, survivor_id) VALUES (?, ?)",
                           arguments: [id, event.survivorID])
        }
        let owner = try owner(db, of: event.survivorID)
        try db.execute(sql: "UPDATE rel_order SET client_id = ? WHERE store_id = ? AND client_id IN (SELECT value FROM json_each(?))",
                       arguments: [owner, event.storeID, jsonArray(event.mergedIDs)])
    }

    static func unmerged(_ db: Database, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        try db.execute(sql: "DELETE FROM rel_merge WHERE merged_id IN (SELECT value FROM json_each(?)) AND survivor_id = ?",
                       arguments: [jsonArray(event.restoredIDs), event.survivorID])
        let survivorOwner = try owner(db, of: event.survivorID)
        let rows = try Row.fetchAll(db, sql: """
            SELECT order_id, attributed_client_id FROM rel_order WHERE store_id = ? AND client_id = ? AND attributed_client_id IS NOT NULL
            """, arguments: [event.storeID, survivorOwner])
        for row in rows {
            let owner = try owner(db, of: row["attributed_client_id"])
            if owner != survivorOwner {
                try db.execute(sql: "UPDATE rel_order SET client_id = ? WHERE store_id = ? AND order_id = ?",
                               arguments: [owner, event.storeID, row["order_id"] as String])
            }
        }
    }

    /// The client that owns `clientID`'s rows: itself, or the end of its chain of merges.
    static func owner(_ db: Database, of clientID: String) throws -> String {
        var current = clientID
        var seen: Set<String> = [current]
        let statement = try db.cachedStatement(sql: "SELECT survivor_id FROM rel_merge WHERE merged_id = ?")
        while let next = try String.fetchOne(statement, arguments: [current]), seen.insert(next).inserted {
            current = next
        }
        return current
    }

    private static func jsonArray(_ ids: [String]) -> String {
        String(decoding: (try? JSONCoding.encoder.encode(ids)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
