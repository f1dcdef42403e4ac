import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `dedupe.analyze`, `dedupe.job.get` and `dedupe.job.cancel`. An analysis is answered at once as
/// a queued job and announced with `dedupe.job.progress` (queued); the service runs it when it
/// reads that event (one replica, once: the event is one message on its work queue), publishing
/// the phases as it goes (they leave with the run's commit) and the end. A job cancelled before
/// it runs never runs.
enum AnalysisJobs {
    static func analyze(_ db: SQLDatabase, _ command: DedupeAnalyze, _ context: HandlerContext) throws -> DedupeJobView {
        if command.accountWide == true {
            let stores = try StoreCopy.storesOfAccount(db, storeID: command.storeID)
            guard stores.allSatisfy(context.sender.mayAccess(store:)) else {
                throw ErrorBody(code: .unauthorized, message: "user \(context.sender.userID) may not see every store of the account",
                                details: [ErrorDetail(field: "account_wide", problem: "unauthorized")])
            }
        }
        let job = DedupeJobView(jobID: "job-" + RandomID.uuid(), storeID: command.storeID, kind: "analyze", status: "queued",
                                accountWide: command.accountWide ?? false, startedBy: context.sender.userID, createdAt: context.now)
        try JobTable.insert(db, job)
        try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
        return job
    }

    static func get(_ db: SQLDatabase, _ query: DedupeJobRef, _ context: HandlerContext) throws -> DedupeJobView {
        try JobTable.require(db, jobID: query.jobID, storeID: query.storeID)
    }

    static func cancel(_ db: SQLDatabase, _ command: DedupeJobRef, _ context: HandlerContext) throws -> DedupeJobView {
        var job = try JobTable.require(db, jobID: command.jobID, storeID: command.storeID, forUpdate: true)
        guard job.status == "queued" || job.status == "running" else {
            throw ErrorBody(code: .conflict, message: "job \(job.jobID) has ended (\(job.status))",
                            details: [ErrorDetail(field: "job_id", problem: "ended")])
        }
        job.status = "cancelled"
        job.finishedAt = context.now
        try JobTable.save(db, job)
        try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
        return job
    }

    /// `dedupe.job.progress`: a queued analysis is run; every other progress event is only news.
    static func progressed(_ db: SQLDatabase, _ event: DedupeJobProgress, _ context: HandlerContext) throws {
        guard event.status == "queued", event.kind == "analyze",
              var job = try JobTable.load(db, jobID: event.jobID, storeID: event.storeID, forUpdate: true),
              job.status == "queued"
        else { return }
        let settings = try DedupeSettings.load(db, storeID: job.storeID)
        let stores = job.accountWide ? try StoreCopy.storesOfAccount(db, storeID: job.storeID) : [job.storeID]
        let loaded = try IndexReader.load(db, stores: stores)
        job.status = "running"
        job.total = loaded.records.count
        var published = 0
        let analysis = try DedupeEngine(rules: settings.rules).analyze(loaded.records, ties: loaded.ties) { phase, done, total in
            job.phase = phase
            job.done = done
            // At most a few dozen events for a million clients.
            if published < 64 { published += 1; try? context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress") }
            return true
        }
        try GroupReport.write(db, jobID: job.jobID, analysis: analysis, records: loaded.records, settings: settings)
        job.status = "done"
        job.phase = "done"
        job.done = loaded.records.count
        job.clients = loaded.records.count
        job.groups = analysis.groups.filter { $0.skipReason == nil }.count
        job.skipped = analysis.groups.count - job.groups!
        job.suggestions = analysis.suggestions.count
        job.finishedAt = context.now
        try JobTable.save(db, job)
        try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
        if try JobTable.isAutomatic(db, jobID: job.jobID) {
            let groups = try db.column("SELECT body FROM dedupe_group WHERE job_id = ? ORDER BY number", [job.jobID], as: String.self)
                .map { try JSONCoding.decoder.decode(DedupeGroup.self, from: Data($0.utf8)) }
            _ = try MergeRuns.start(db, storeID: job.storeID, jobID: job.jobID, groups: groups, automatic: true, context: context)
        }
    }
}
