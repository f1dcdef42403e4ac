import Contracts
import Foundation
import SQLStore
import WorkerKit

/// A queued analysis, run as the service's timer work (the leader replica only), in steps that
/// each take a short transaction of their own: claim the job, read the index, match, group, find
/// suggestions, write the report. It never runs inside one long transaction, so that
/// `dedupe.job.cancel` commits while it runs; between steps it looks at the job again (and
/// publishes its progress), and a job found `cancelled` stops there: no report is written and the
/// job stays as the cancel left it.
struct AnalysisRun: Sendable {
    /// A pause after each step (tests: time to cancel a running analysis through the broker).
    var pause: Duration = .zero
    /// Called after each step with its phase (unit tests cancel from here).
    var afterStep: (@Sendable (String) throws -> Void)?

    struct Cancelled: Error {}

    func work(_ environment: TimerEnvironment) throws {
        guard var job = try claim(environment) else { return }
        do {
            try step(environment, &job, phase: "loading", done: 0)
            let (settings, loaded) = try environment.read { db in
                let settings = try DedupeSettings.load(db, storeID: job.storeID)
                let stores = job.accountWide ? try StoreCopy.storesOfAccount(db, storeID: job.storeID) : [job.storeID]
                return (settings, try IndexReader.load(db, stores: stores))
            }
            job.total = loaded.records.count
            var steps = 0
            var stopped: Error?
            let analysis: DedupeAnalysis
            do {
                analysis = try DedupeEngine(rules: settings.rules).analyze(loaded.records, ties: loaded.ties) { phase, done, _ in
                    // A few dozen looks at the job for a million clients (every 65,536 clients and each phase).
                    steps += 1
                    guard steps <= 64 else { return true }
                    do { try step(environment, &job, phase: phase, done: done) } catch { stopped = error; return false }
                    return true
                }
            } catch is DedupeEngine.Cancelled {
                throw stopped ?? Cancelled()
            }
            try step(environment, &job, phase: "writing", done: loaded.records.count)
            try environment.write { db, context in
                guard let current = try JobTable.load(db, jobID: job.jobID, storeID: job.storeID, forUpdate: true),
                      current.status == "running"
                else { return }
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
        } catch is Cancelled {
            return  // the cancel already ended the job and announced it
        } catch {
            try environment.write { db, context in
                guard var current = try JobTable.load(db, jobID: job.jobID, storeID: job.storeID, forUpdate: true),
                      current.status == "running"
                else { return }
                current.status = "failed"
                current.error = String("\(error)".prefix(1000))
                current.finishedAt = context.now
                try JobTable.save(db, current)
                try context.publish(event: JobTable.progress(current, at: context.now), type: "dedupe.job.progress")
            }
        }
    }

    /// The oldest queued analysis, now `running`.
    private func claim(_ environment: TimerEnvironment) throws -> DedupeJobView? {
        try environment.write { db, context in
            try JobTable.claimNext(db, kind: "analyze", phase: "queued", context: context)
        }
    }

    /// Between two steps: the job still `running` takes the phase and is announced; a cancelled one throws.
    private func step(_ environment: TimerEnvironment, _ job: inout DedupeJobView, phase: String, done: Int) throws {
        if let afterStep { try afterStep(phase) }
        if pause > .zero { Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18) }
        job.phase = phase
        job.done = done
        let current = job
        let running = try environment.write { db, context -> Bool in
            guard let stored = try JobTable.load(db, jobID: current.jobID, storeID: current.storeID, forUpdate: true),
                  stored.status == "running"
            else { return false }
            try JobTable.save(db, current)
            try context.publish(event: JobTable.progress(current, at: context.now), type: "dedupe.job.progress")
            return true
        }
        guard running else { throw Cancelled() }
    }
}
