import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.merged` and `client.unmerged`: the orders of merged clients count for the survivor;
/// an unmerge gives each order back to whoever owns its attributed client now. `rel_merge` keeps
/// the links (not flattened), so merges of merges come apart in any order. Both read the links
/// and then re-key orders: they hold the store's order lock alone (`StoreOrderLock`), so that
/// neither another merge nor an attribution on another replica slips in between.
enum MergeLedger {
    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        try StoreOrderLock.exclusive(db, storeID: event.storeID)
        for id in event.mergedIDs where id != event.survivorID {
            try db.execute("""
                INSERT INTO rel_merge (merged_id, survivor_id) VALUES (?, ?)
                ON CONFLICT (merged_id) DO UPDATE SET survivor_id = excluded.survivor_id
                """, [id, event.survivorID])
        }
        guard !event.mergedIDs.isEmpty else { return }
        let owner = try owner(db, of: event.survivorID)
        let arguments: SQLArguments = [owner, event.storeID] + event.mergedIDs.map { $0 }
        try db.execute("UPDATE rel_order SET client_id = ? WHERE store_id = ? AND client_id IN (\(list(event.mergedIDs.count)))",
                       arguments)
    }

    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        try StoreOrderLock.exclusive(db, storeID: event.storeID)
        if !event.restoredIDs.isEmpty {
            let arguments: SQLArguments = event.restoredIDs.map { $0 } + [event.survivorID]
            try db.execute("DELETE FROM rel_merge WHERE merged_id IN (\(list(event.restoredIDs.count))) AND survivor_id = ?",
                           arguments)
        }
        let survivorOwner = try owner(db, of: event.survivorID)
        let rows = try db.rows("""
            SELECT order_id, attributed_client_id FROM rel_order WHERE store_id = ? AND client_id = ? AND attributed_client_id IS NOT NULL
            """, [event.storeID, survivorOwner])
        for row in rows {
            let owner = try owner(db, of: row["attributed_client_id"])
            if owner != survivorOwner {
                try db.execute("UPDATE rel_order SET client_id = ? WHERE store_id = ? AND order_id = ?",
                               [owner, event.storeID, row["order_id"] as String])
            }
        }
    }

    /// The client that owns `clientID`'s rows: itself, or the end of its chain of merges.
    static func owner(_ db: SQLDatabase, of clientID: String) throws -> String {
        var current = clientID
        var seen: Set<String> = [current]
        while let next = try db.value("SELECT survivor_id FROM rel_merge WHERE merged_id = ?", [current], as: String.self),
              seen.insert(next).inserted {
            current = next
        }
        return current
    }

    /// `?, ?, ?` for an IN list of `count` values (both engines; json_each is SQLite's alone).
    private static func list(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
