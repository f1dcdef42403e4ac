import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `dedupe_job`: one row per job, read back as the answer `dedupe.job`.
enum JobTable {
    /// `automatic`: the timer's analysis, whose groups are merged when it is done.
    static func insert(_ db: SQLDatabase, _ job: DedupeJobView, automatic: Bool = false) throws {
        try db.execute("""
            INSERT INTO dedupe_job (job_id, store_id, kind, status, account_wide, started_by, created_at, automatic)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [job.jobID, job.storeID, job.kind, job.status, job.accountWide, job.startedBy, job.createdAt, automatic])
    }

    static func isAutomatic(_ db: SQLDatabase, jobID: String) throws -> Bool {
        try db.value("SELECT automatic FROM dedupe_job WHERE job_id = ?", [jobID], as: Bool.self) ?? false
    }

    /// The job, when it is `storeID`'s: another store's job reads as unknown.
    static func load(_ db: SQLDatabase, jobID: String, storeID: String, forUpdate: Bool = false) throws -> DedupeJobView? {
        guard let row = try db.row("SELECT * FROM dedupe_job WHERE job_id = ? AND store_id = ?" + (forUpdate ? db.forUpdate : ""),
                                   [jobID, storeID])
        else { return nil }
        return DedupeJobView(
            jobID: row["job_id"], storeID: row["store_id"], kind: row["kind"], status: row["status"],
            accountWide: row["account_wide"], phase: row["phase"], done: row["done"], total: row["total"],
            clients: row["clients"], groups: row["groups_found"], skipped: row["skipped"], suggestions: row["suggestions"],
            startedBy: row["started_by"], createdAt: row["created_at"], finishedAt: row["finished_at"], error: row["error"])
    }

    static func require(_ db: SQLDatabase, jobID: String, storeID: String, forUpdate: Bool = false) throws -> DedupeJobView {
        guard let job = try load(db, jobID: jobID, storeID: storeID, forUpdate: forUpdate) else {
            throw ErrorBody(code: .notFound, message: "no job \(jobID) in store \(storeID)",
                            details: [ErrorDetail(field: "job_id", problem: "not_found")])
        }
        return job
    }

    /// The oldest queued job of `kind`, now `running` in `phase`, its progress published; nil
    /// when none waits. Read `FOR UPDATE` on PostgreSQL, so two replicas never claim one job.
    static func claimNext(_ db: SQLDatabase, kind: String, phase: String, context: HandlerContext) throws -> DedupeJobView? {
        guard let row = try db.row("""
            SELECT job_id, store_id FROM dedupe_job WHERE kind = ? AND status = 'queued' ORDER BY created_at LIMIT 1
            """ + db.forUpdate, [kind]), var job = try load(db, jobID: row["job_id"], storeID: row["store_id"])
        else { return nil }
        job.status = "running"
        job.phase = phase
        try save(db, job)
        try context.publish(event: progress(job, at: context.now), type: "dedupe.job.progress")
        return job
    }

    static func save(_ db: SQLDatabase, _ job: DedupeJobView) throws {
        try db.execute("""
            UPDATE dedupe_job SET status = ?, phase = ?, done = ?, total = ?, clients = ?, groups_found = ?, skipped = ?,
                suggestions = ?, finished_at = ?, error = ? WHERE job_id = ?
            """, [job.status, job.phase, job.done, job.total, job.clients, job.groups, job.skipped, job.suggestions,
                  job.finishedAt, job.error, job.jobID])
    }

    static func progress(_ job: DedupeJobView, at: Date) -> DedupeJobProgress {
        DedupeJobProgress(storeID: job.storeID, jobID: job.jobID, kind: job.kind, status: job.status, phase: job.phase,
                          done: job.done, total: job.total, at: at)
    }
}
