import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `dedupe.log` (the merges, newest first) and `dedupe.unmerge`: a merge, or every merge of a
/// run, undone through client-service's `client.unmerge` (one per merged client: its snapshot
/// brings it back exactly, its orders go back with it); `client.unmerged` marks it done.
enum MergeLog {
    static func page(_ db: SQLDatabase, _ query: DedupeLogQuery, _ context: HandlerContext) throws -> DedupeLogResult {
        let limit = query.limit ?? 100
        var sql = "SELECT * FROM dedupe_merge WHERE store_id = ?"
        var args: SQLArguments = [query.storeID]
        if let run = query.runID { sql += " AND run_id = ?"; args.append(run) }
        if let after = query.after { sql += " AND merge_id < ?"; args.append(after) }
        let rows = try db.rows(sql + " ORDER BY merge_id DESC LIMIT ?", args + [limit + 1])
        let entries = try rows.prefix(limit).map(entry)
        return DedupeLogResult(entries: entries, nextCursor: rows.count > limit ? entries.last?.mergeID : nil)
    }

    static func unmerge(_ db: SQLDatabase, _ command: DedupeUnmerge, _ context: HandlerContext) throws -> DedupeLogResult {
        let rows: [SQLRow]
        if let id = command.mergeID {
            rows = try db.rows("SELECT * FROM dedupe_merge WHERE store_id = ? AND merge_id = ?" + db.forUpdate, [command.storeID, id])
        } else if let run = command.runID {
            rows = try db.rows("SELECT * FROM dedupe_merge WHERE store_id = ? AND run_id = ? ORDER BY merge_id DESC" + db.forUpdate,
                               [command.storeID, run])
        } else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "merge_id", problem: "required")], message: "merge_id or run_id is needed")
        }
        guard !rows.isEmpty else {
            throw ErrorBody(code: .notFound, message: "no such merge in store \(command.storeID)",
                            details: [ErrorDetail(field: command.mergeID != nil ? "merge_id" : "run_id", problem: "not_found")])
        }
        let undoable = rows.filter { ($0["status"] as String) == "merged" }
        guard !undoable.isEmpty else {
            throw ErrorBody(code: .conflict, message: "nothing to undo: the merges are not (or no longer) merged",
                            details: [ErrorDetail(field: command.mergeID != nil ? "merge_id" : "run_id", problem: "not_merged")])
        }
        var entries: [DedupeLogEntry] = []
        for row in undoable {
            var e = try entry(row)
            for id in e.mergedIDs {
                try context.send(command: ClientUnmerge(storeID: command.storeID, mergedID: id), type: "client.unmerge")
            }
            try db.execute("UPDATE dedupe_merge SET status = 'unmerge_sent' WHERE merge_id = ?", [e.mergeID])
            e.status = "unmerge_sent"
            entries.append(e)
        }
        return DedupeLogResult(entries: entries, nextCursor: nil)
    }

    /// `client.unmerged`: a merge being undone is done when none of its clients is merged any more.
    static func unmerged(_ db: SQLDatabase, _ event: ClientUnmerged, _ context: HandlerContext) throws {
        let rows = try db.rows("SELECT merge_id, merged_ids FROM dedupe_merge WHERE store_id = ? AND survivor_id = ? AND status = 'unmerge_sent'",
                               [event.storeID, event.survivorID])
        for row in rows {
            let ids = try JSONCoding.decoder.decode([String].self, from: Data((row["merged_ids"] as String).utf8))
            let marks = IndexReader.placeholders(ids.count)
            let stillMerged = try db.value("SELECT COUNT(*) FROM dedupe_client WHERE client_id IN (\(marks)) AND merged_into IS NOT NULL",
                                           ids.map { $0 }, as: Int.self) ?? 0
            if stillMerged == 0 {
                try db.execute("UPDATE dedupe_merge SET status = 'unmerged', unmerged_at = ? WHERE merge_id = ?",
                               [context.now, row["merge_id"] as Int])
            }
        }
    }

    private static func entry(_ row: SQLRow) throws -> DedupeLogEntry {
        DedupeLogEntry(
            mergeID: row["merge_id"], runID: row["run_id"], jobID: row["job_id"], groupNumber: row["group_number"],
            survivorID: row["survivor_id"],
            mergedIDs: try JSONCoding.decoder.decode([String].self, from: Data((row["merged_ids"] as String).utf8)),
            reasons: try JSONCoding.decoder.decode([DedupeGroup.Reason].self, from: Data((row["reasons"] as String).utf8)),
            status: row["status"], startedBy: row["started_by"], sentAt: row["sent_at"], mergedAt: row["merged_at"],
            unmergedAt: row["unmerged_at"],
            refusal: try (row["refusal"] as String?).map { try JSONCoding.decoder.decode(ErrorBody.self, from: Data($0.utf8)) })
    }
}
