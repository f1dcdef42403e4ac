import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `dedupe.merge`: a run over a finished analysis's groups. The groups are analysed again over
/// the index as it now stands (their clients and every client sharing a value with them), so a
/// group that changed since (a client merged, deleted, edited, a new one) is merged as it is now,
/// or not at all; each group found is sent to client-service as `client.merge` (by this service's
/// own broker user, through the outbox) and logged `sent`, then `merged` when client-service's
/// `client.merged` says so. The run ends with `dedupe.run.completed` when none is left `sent`.
enum MergeRuns {
    static func merge(_ db: SQLDatabase, _ command: DedupeMerge, _ context: HandlerContext) throws -> DedupeRunView {
        let job = try JobTable.require(db, jobID: command.jobID, storeID: command.storeID)
        guard job.status == "done" else {
            throw ErrorBody(code: .conflict, message: "job \(job.jobID) is \(job.status): nothing to merge yet",
                            details: [ErrorDetail(field: "job_id", problem: "not_done")])
        }
        var bodies = try db.column("SELECT body FROM dedupe_group WHERE job_id = ? ORDER BY number", [job.jobID], as: String.self)
            .map { try JSONCoding.decoder.decode(DedupeGroup.self, from: Data($0.utf8)) }
        if let chosen = command.groups {
            let unknown = Set(chosen).subtracting(bodies.map(\.number))
            guard unknown.isEmpty else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "groups", problem: "not_found")],
                                                 message: "no group \(unknown.sorted().map(String.init).joined(separator: ", ")) in job \(job.jobID)")
            }
            bodies = bodies.filter { chosen.contains($0.number) }
        }
        return try start(db, storeID: command.storeID, jobID: job.jobID, groups: bodies, automatic: false, context: context)
    }

    /// Analyses `groups` again and sends a `client.merge` for each group found; records the run.
    static func start(_ db: SQLDatabase, storeID: String, jobID: String, groups: [DedupeGroup], automatic: Bool,
                      context: HandlerContext) throws -> DedupeRunView {
        let settings = try DedupeSettings.load(db, storeID: storeID)
        var run = DedupeRunView(runID: "run-" + RandomID.uuid(), storeID: storeID, jobID: jobID, status: "running",
                                startedBy: context.sender.userID, automatic: automatic, startedAt: context.now)
        // client-service merges the cards of one store: a run merges the members in its own store
        // (of a cross-store group, those its store's own values tie); a group with fewer than two
        // there is skipped (docs/architecture.md, "Cross-store groups").
        let wanted = groups.filter { $0.skipped == nil }.compactMap { group -> (number: Int, ids: [String])? in
            let ids = group.clients.filter { $0.storeID == storeID }.map(\.clientID)
            return !ids.isEmpty && (ids.count >= 2 || ids.count == group.clients.count) ? (group.number, ids) : nil
        }
        run.groupsSkipped = groups.count - wanted.count
        let loaded = try IndexReader.load(db, storeID: storeID, around: wanted.flatMap(\.ids))
        let fresh = try DedupeEngine(rules: settings.rules).analyze(loaded.records, ties: loaded.ties, suggestions: false)
        let before = Dictionary(wanted.map { (Set($0.ids), $0.number) }, uniquingKeysWith: { a, _ in a })
        let anyBefore = Dictionary(wanted.flatMap { g in g.ids.map { ($0, g.number) } }, uniquingKeysWith: { a, _ in a })
        var found: Set<Int> = []
        for group in fresh.groups {
            let ids = group.members.map { loaded.records[$0].clientID }
            // Only groups that hold a client of the chosen groups: a neighbour's own duplicates wait for their turn.
            guard let number = ids.lazy.compactMap({ anyBefore[$0] }).first else { continue }
            found.insert(number)
            guard group.skipReason == nil, !group.crossStore else { run.groupsSkipped += 1; continue }
            if before[Set(ids)] == nil { run.groupsReanalysed += 1 }
            let survivor = loaded.records[group.survivor].clientID
            // In the priority's order: client.merge fills the survivor's empty fields from the first that has each.
            let merged = (settings.rules.priority == .first ? ids : ids.reversed()).filter { $0 != survivor }
            try context.send(command: ClientMerge(storeID: storeID, survivorID: survivor, mergedIDs: merged,
                                                  maxPhones: settings.fields.maxPhones), type: "client.merge")
            let reasons = group.reasons.map {
                DedupeGroup.Reason(kind: $0.kind.rawValue, value: $0.value,
                                   clientIDs: [loaded.records[$0.a].clientID, loaded.records[$0.b].clientID])
            }
            try db.execute("""
                INSERT INTO dedupe_merge (run_id, store_id, job_id, group_number, survivor_id, merged_ids, reasons, status,
                    started_by, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?)
                """, [run.runID, storeID, jobID, number, survivor, try text(merged), try text(reasons), run.startedBy, context.now])
            run.groupsSent += 1
        }
        // A chosen group that is no group any more (its clients deleted, merged or changed apart) is skipped too.
        run.groupsSkipped += Set(wanted.map(\.number)).subtracting(found).count
        try db.execute("""
            INSERT INTO dedupe_run (run_id, store_id, job_id, status, started_by, automatic, groups_sent, groups_skipped,
                groups_reanalysed, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [run.runID, storeID, jobID, run.status, run.startedBy, automatic, run.groupsSent, run.groupsSkipped,
                  run.groupsReanalysed, context.now])
        if run.groupsSent == 0 { try finish(db, runID: run.runID, context: context) }
        return try RunTable.load(db, runID: run.runID) ?? run
    }

    /// `client.merged`: the merge this service sent (same survivor, the same clients) is done.
    static func merged(_ db: SQLDatabase, _ event: ClientMerged, _ context: HandlerContext) throws {
        let rows = try db.rows("SELECT merge_id, run_id, merged_ids, reasons FROM dedupe_merge WHERE store_id = ? AND survivor_id = ? AND status = 'sent'",
                               [event.storeID, event.survivorID])
        for row in rows {
            let ids = try JSONCoding.decoder.decode([String].self, from: Data((row["merged_ids"] as String).utf8))
            guard Set(ids).isSubset(of: event.mergedIDs) else { continue }
            try db.execute("UPDATE dedupe_merge SET status = 'merged', merged_at = ? WHERE merge_id = ?", [context.now, row["merge_id"] as Int])
            let reasons = try JSONCoding.decoder.decode([DedupeGroup.Reason].self, from: Data((row["reasons"] as String).utf8))
            try SurvivorNote.add(db, storeID: event.storeID, survivorID: event.survivorID, mergedIDs: ids, reasons: reasons,
                                 runID: row["run_id"], context: context)
            if try db.value("SELECT COUNT(*) FROM dedupe_merge WHERE run_id = ? AND status = 'sent'", [row["run_id"] as String],
                            as: Int.self) == 0 {
                try finish(db, runID: row["run_id"], context: context)
            }
        }
    }

    /// The run is done: `dedupe.run.completed` for the store's operators.
    static func finish(_ db: SQLDatabase, runID: String, context: HandlerContext) throws {
        guard try db.execute("UPDATE dedupe_run SET status = 'done', finished_at = ? WHERE run_id = ? AND status = 'running'",
                             [context.now, runID]) > 0,
              let run = try RunTable.load(db, runID: runID)
        else { return }
        try context.publish(event: DedupeRunCompleted(
            storeID: run.storeID, runID: run.runID, jobID: run.jobID, startedBy: run.startedBy, automatic: run.automatic,
            groupsMerged: run.groupsMerged, clientsMerged: run.clientsMerged, groupsSkipped: run.groupsSkipped,
            groupsRefused: run.groupsRefused, finishedAt: context.now), type: "dedupe.run.completed")
    }

    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
    }
}

/// `dedupe_run` read back with its counts from the log.
enum RunTable {
    static func load(_ db: SQLDatabase, runID: String) throws -> DedupeRunView? {
        guard let row = try db.row("SELECT * FROM dedupe_run WHERE run_id = ?", [runID]) else { return nil }
        var merged = 0, clients = 0
        let refused = try db.value("SELECT COUNT(*) FROM dedupe_merge WHERE run_id = ? AND status = 'refused'", [runID], as: Int.self) ?? 0
        for text in try db.column("SELECT merged_ids FROM dedupe_merge WHERE run_id = ? AND status IN ('merged', 'unmerge_sent', 'unmerged')",
                                  [runID], as: String.self) {
            merged += 1
            clients += try JSONCoding.decoder.decode([String].self, from: Data(text.utf8)).count
        }
        return DedupeRunView(runID: row["run_id"], storeID: row["store_id"], jobID: row["job_id"], status: row["status"],
                             startedBy: row["started_by"], automatic: row["automatic"], groupsSent: row["groups_sent"],
                             groupsMerged: merged, groupsRefused: refused, clientsMerged: clients, groupsSkipped: row["groups_skipped"],
                             groupsReanalysed: row["groups_reanalysed"], startedAt: row["started_at"], finishedAt: row["finished_at"])
    }
}
