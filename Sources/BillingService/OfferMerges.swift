import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Offers follow their client through `client.merged` and `client.unmerged`, as accounts do
/// (`AccountMerges`): a merged client's offers go to the survivor, keeping the client they were
/// made for in `home_client_id`; an unmerge gives each back to whoever owns that client then.
/// Invoices need nothing: they belong to payments and offers, which move with their accounts.
enum OfferMerges {
    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        let owner = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: event.survivorID)
        for id in event.mergedIDs where id != owner {
            try db.execute("""
                UPDATE billing_offer SET home_client_id = COALESCE(home_client_id, client_id), client_id = ?, updated_at = ?
                WHERE store_id = ? AND client_id = ?
                """, [owner, context.now, event.storeID, id])
        }
    }

    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        let moved = try db.rows("""
            SELECT offer_id, client_id, home_client_id FROM billing_offer
            WHERE store_id = ? AND home_client_id IS NOT NULL AND client_id <> home_client_id ORDER BY offer_id
            """ + db.forUpdate, [event.storeID])
        for row in moved {
            let owner = try BillingClientCopy.owner(db, storeID: event.storeID, clientID: row["home_client_id"])
            guard owner != row["client_id"] as String else { continue }
            try db.execute("UPDATE billing_offer SET client_id = ?, updated_at = ? WHERE offer_id = ?",
                           [owner, context.now, row["offer_id"] as String])
        }
    }
}
