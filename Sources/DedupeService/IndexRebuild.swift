import Contracts
import Foundation
import Messaging
import SQLStore
import WorkerKit

/// `dedupe.index.rebuild`: the store's index filled again from client-service's `client.export`
/// pages (a card the index holds in a newer version stays). The command queues a job; the
/// service's timer work (`work`) takes queued rebuilds one at a time, asks client-service for the
/// pages as dedupe-service over the broker, and indexes each page in a transaction of its own,
/// publishing the progress; a cancelled job stops at the next page.
enum IndexRebuild {
    static let pageSize = 500

    static func request(_ db: SQLDatabase, _ command: DedupeIndexRebuild, _ context: HandlerContext) throws -> DedupeJobView {
        let job = DedupeJobView(jobID: "job-" + RandomID.uuid(), storeID: command.storeID, kind: "rebuild", status: "queued",
                                accountWide: false, startedBy: context.sender.userID, createdAt: context.now)
        try JobTable.insert(db, job)
        try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
        return job
    }

    static func work(_ environment: TimerEnvironment) throws {
        guard let url = environment.amqpURL else { return }
        let next: DedupeJobView? = try environment.write { db, context in
            try JobTable.claimNext(db, kind: "rebuild", phase: "exporting", context: context)
        }
        guard var job = next else { return }
        do {
            let client = try RequestClient(url: url, appID: "dedupe-service")
            var after: String?
            repeat {
                let body = try JSONCoding.encoder.encode(ClientExport(storeID: job.storeID, after: after, limit: pageSize))
                let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "client.export", body: body,
                                                                                          timeout: .seconds(60)).body)
                guard reply.ok, let result = reply.result else {
                    throw ErrorBody(code: .unavailable, message: "client.export failed: \(reply.error?.message ?? "no result")")
                }
                let page = try JSONCoding.decoder.decode(ClientExportResult.self, from: JSONCoding.encoder.encode(result))
                let goOn = try environment.write { db, context -> Bool in
                    guard let current = try JobTable.load(db, jobID: job.jobID, storeID: job.storeID, forUpdate: true),
                          current.status == "running"
                    else { return false }
                    for card in page.clients where card.storeID == job.storeID { try ClientIndex.index(db, card) }
                    job.done += page.clients.count
                    job.total = job.done
                    try JobTable.save(db, job)
                    try context.publish(event: JobTable.progress(job, at: context.now), type: "dedupe.job.progress")
                    return true
                }
                guard goOn else { return }  // cancelled
                after = page.nextCursor
            } while after != nil
            try finish(environment, &job, status: "done", error: nil)
        } catch {
            try finish(environment, &job, status: "failed", error: "\(error)")
        }
    }

    private static func finish(_ environment: TimerEnvironment, _ job: inout DedupeJobView, status: String, error: String?) throws {
        job.status = status
        job.phase = status
        job.error = error.map { String($0.prefix(1000)) }
        job.clients = job.done
        let finished = job
        try environment.write { db, context in
            var saved = finished
            saved.finishedAt = context.now
            try JobTable.save(db, saved)
            try context.publish(event: JobTable.progress(saved, at: context.now), type: "dedupe.job.progress")
        }
    }
}
