import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `dedupe.analyze`, `dedupe.job.get` and `dedupe.job.cancel`. An analysis is answered at once as
/// a queued job and announced with `dedupe.job.progress` (queued); the service's timer work runs
/// it (`AnalysisRun`). A job cancelled before it runs never runs; one cancelled while it runs stops
/// at its next step.
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
}
