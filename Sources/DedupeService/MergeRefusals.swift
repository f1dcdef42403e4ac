import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `client.merge_refused`: client-service would not merge a group this service sent (its merges
/// leave through the outbox without `reply_to`, so the refusal comes back as an event). The log's
/// `sent` merge with the same survivor and clients becomes `refused` with client-service's error,
/// which `dedupe.log` shows; the run ends when nothing of it is left `sent`.
enum MergeRefusals {
    static func refused(_ db: SQLDatabase, _ event: ClientMergeRefused, _ context: HandlerContext) throws {
        let rows = try db.rows("""
            SELECT merge_id, run_id, merged_ids FROM dedupe_merge WHERE store_id = ? AND survivor_id = ? AND status = 'sent'
            ORDER BY merge_id
            """, [event.storeID, event.survivorID])
        for row in rows {
            let ids = try JSONCoding.decoder.decode([String].self, from: Data((row["merged_ids"] as String).utf8))
            guard Set(ids) == Set(event.mergedIDs) else { continue }
            let refusal = String(decoding: try JSONCoding.encoder.encode(event.error), as: UTF8.self)
            try db.execute("UPDATE dedupe_merge SET status = 'refused', refusal = ?, refused_at = ? WHERE merge_id = ?",
                           [refusal, event.refusedAt, row["merge_id"] as Int])
            let runID: String = row["run_id"]
            if try db.value("SELECT COUNT(*) FROM dedupe_merge WHERE run_id = ? AND status = 'sent'", [runID], as: Int.self) == 0 {
                try MergeRuns.finish(db, runID: runID, context: context)
            }
            return  // one command, one merge of the log
        }
    }
}
