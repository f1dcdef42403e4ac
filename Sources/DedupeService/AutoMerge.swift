import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The automatic merge and the instant check. The timer (`DedupeServiceDefinition.timers`) looks
/// at the stores with `auto_merge` on: when the previous automatic run ended `interval` minutes ago
/// (or the setting was switched on that long ago) and none is under way, it queues an analysis
/// that merges its groups when done, as `dedupe-service`. With `instant_check` on, a new client
/// sharing a value with another is merged at once (its group, analysed as it stands).
struct AutoMerge: Sendable {
    /// A minute of `auto_merge_interval_minutes` (shorter in tests).
    let minute: Duration

    func tick(_ db: SQLDatabase, _ context: HandlerContext) throws {
        for storeID in try db.column("SELECT store_id FROM dedupe_settings WHERE auto_merge = TRUE ORDER BY store_id", as: String.self) {
            let busy = try db.value("""
                SELECT COUNT(*) FROM dedupe_job WHERE store_id = ? AND automatic = TRUE AND status IN ('queued', 'running')
                """, [storeID], as: Int.self) ?? 0
            guard busy == 0 else { continue }
            let settings = try DedupeSettings.load(db, storeID: storeID)
            let lastRun = try db.value("""
                SELECT MAX(COALESCE(finished_at, started_at)) FROM dedupe_run WHERE store_id = ? AND automatic = TRUE AND job_id NOT LIKE 'instant%'
                """, [storeID], as: Date.self)
            let since = [lastRun, settings.updatedAt].compactMap { $0 }.max() ?? context.now
            let unit = Double(minute.components.seconds) + Double(minute.components.attoseconds) / 1e18
            let interval = Double(settings.fields.autoMergeIntervalMinutes ?? 30) * unit
            guard context.now.timeIntervalSince(since) >= interval else { continue }
            let job = DedupeJobView(jobID: "job-" + RandomID.uuid(), storeID: storeID, kind: "analyze", status: "queued",
                                    accountWide: false, startedBy: context.sender.userID, createdAt: context.now)
            try JobTable.insert(db, job, automatic: true)
            try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
        }
    }

    /// `client.created` with `instant_check` on: the new client's group, if it has one, merged now.
    static func instantCheck(_ db: SQLDatabase, _ event: ClientChanged, _ context: HandlerContext) throws {
        let card = event.client
        guard !card.deleted, card.mergedInto == nil else { return }
        let settings = try DedupeSettings.load(db, storeID: card.storeID)
        guard settings.fields.instantCheck == true else { return }
        let loaded = try IndexReader.load(db, storeID: card.storeID, around: [card.clientID])
        let analysis = try DedupeEngine(rules: settings.rules).analyze(loaded.records, ties: loaded.ties, suggestions: false)
        guard analysis.groups.contains(where: { g in
            g.skipReason == nil && g.members.contains { loaded.records[$0].clientID == card.clientID }
        }) else { return }
        let seed = DedupeGroup(
            number: 1, clients: [DedupeGroup.Member(clientID: card.clientID, storeID: card.storeID, name: nil, email: nil, phones: [],
                                                     createdAt: card.createdAt)],
            reasons: [], survivorID: card.clientID, proposed: DedupeGroup.Proposed(firstName: nil, lastName: nil, email: nil, phones: []),
            crossStore: false, skipped: nil)
        _ = try MergeRuns.start(db, storeID: card.storeID, jobID: "instant-\(card.clientID)", groups: [seed], automatic: true,
                                context: context)
    }
}
