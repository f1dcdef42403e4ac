import Foundation
import SQLStore
import Logging
import Messaging
import Synchronization

/// Publishes the outbox with publisher confirms, on a thread and a connection of its own, and
/// deletes each row once the broker confirmed it. A crash between publish and delete publishes the
/// row again: consumers recognise it by its `message_id`. A row the broker refuses is parked
/// aside with its reason (OutboxRelay+Parking), and the rows after it go on.
final class OutboxRelay: Sendable {
    let config: WorkerConfig
    let topology: ServiceTopology
    var service: String { topology.service }
    /// The outbox, as the relay of this replica sees it: it publishes only while it leads.
    let database: JobStorage
    let metrics: WorkerMetrics
    let wakeup: DispatchSemaphore
    let logger: Logger
    let stopRequested = SharedFlag()
    let isConnected = SharedFlag()
    private let pruning = Throttle(every: .seconds(60))
    /// The first look comes a while after start, when the consumer has declared the queues.
    let lastDeadCheck = Mutex<ContinuousClock.Instant?>(.now)
    let batchSize = 1000
    /// How long a stopping relay keeps trying to flush when the broker is away.
    let flushDeadline: Duration = .seconds(15)

    init(config: WorkerConfig, topology: ServiceTopology, storage: SQLStorage, metrics: WorkerMetrics,
         wakeup: DispatchSemaphore, logger: Logger) {
        self.config = config
        self.topology = topology
        self.database = JobStorage(storage, job: "outbox-relay")
        self.metrics = metrics
        self.wakeup = wakeup
        self.logger = logger
    }

    func run() {
        var backoff = Backoff()
        var brokers = config.brokers
        var stopDeadline: ContinuousClock.Instant?
        while true {
            if stopRequested.isSet, stopDeadline == nil { stopDeadline = .now + flushDeadline }
            if let stopDeadline, ContinuousClock.now > stopDeadline {
                logger.warning("stopping with an unflushed outbox")
                break
            }
            do {
                let connection = try brokers.connect()
                try connection.enableConfirms()
                isConnected.set(true)
                backoff.reset()
                metrics.parkedDepth.set(Int64(try database.read(OutboxParking.count)))
                let flushed = try relay(on: connection)
                connection.close()
                if flushed { break }
            } catch {
                isConnected.set(false)
                let delay = backoff.next()
                logger.warning("outbox relay lost the broker", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds))
            }
        }
        isConnected.set(false)
        database.resign()
        logger.info("outbox relay stopped")
    }

    /// The relay's idle moments are when the inbox is pruned: once a minute at most.
    private func pruneInboxIfDue() throws {
        guard pruning.isDue() else { return }
        let cutoff = Date().addingTimeInterval(-Double(config.inboxRetention.components.seconds))
        let pruned = try database.write { db in try InboxEntry.prune(db, before: cutoff) }
        if pruned > 0 { logger.info("pruned the inbox", metadata: ["message_ids": "\(pruned)"]) }
    }

    /// Publishes until asked to stop and the outbox is empty; returns true then.
    private func relay(on connection: AMQPConnection) throws -> Bool {
        // Rows the broker confirmed and this relay has yet to delete.
        var confirmed: [Int64] = []
        while true {
            guard try database.lead() else {
                // Another replica relays the outbox; this one stands by and asks again.
                if stopRequested.isSet { return true }
                _ = wakeup.wait(timeout: .now() + .seconds(1))
                try connection.serviceHeartbeats()
                continue
            }
            let rows: [OutboxMessage]
            if confirmed.isEmpty {
                rows = try database.read { db in try OutboxMessage.oldest(db, limit: batchSize) }
            } else {
                // The last batch's rows are deleted and the next batch read in one transaction:
                // a read transaction of its own cost about as much as the relay's publishing.
                rows = try database.write { db in
                    try OutboxMessage.delete(db, ids: confirmed)
                    return try OutboxMessage.oldest(db, limit: batchSize)
                }
                metrics.published.increment(by: Int64(confirmed.count))
                confirmed = []
            }
            if rows.isEmpty {
                metrics.outboxDepth.set(Int64(0))
                if stopRequested.isSet { return true }
                try pruneInboxIfDue()
                try watchDeadLettersIfDue(on: connection)
                _ = wakeup.wait(timeout: .now() + .milliseconds(250))
                try connection.serviceHeartbeats()
                continue
            }
            var sequences: [UInt64] = []
            do {
                for row in rows {
                    sequences.append(try connection.publish(exchange: row.exchange, routingKey: row.routingKey,
                                                            message: row.amqpMessage(appID: service)))
                }
                try connection.waitForConfirms()
            } catch let error as AMQPError where Self.mayBeRefusal(error) {
                // Some row of the batch was refused: what the broker took is done; the rest goes
                // one row at a time, so that the refused one is found, parked, and the others go on.
                let taken = zip(rows, sequences).filter { connection.wasConfirmed($0.1) }.compactMap { $0.0.id }
                connection.close()
                try database.write { db in _ = try OutboxMessage.delete(db, ids: taken) }
                metrics.published.increment(by: Int64(taken.count))
                let rest = rows.filter { $0.id.map { !taken.contains($0) } ?? false }
                logger.warning("the broker refused part of an outbox batch; publishing the rest row by row",
                               metadata: ["error": "\(error)", "rows": "\(rest.count)"])
                try publishOneByOne(rest)
                return false
            }
            // Deleted with the next read (a crash before that publishes them again, as ever).
            confirmed = rows.compactMap(\.id)
            // Counting is a scan: only when a full batch suggests a backlog.
            if rows.count == batchSize {
                metrics.outboxDepth.set(Int64(try database.read(OutboxMessage.depth)))
            }
        }
    }
}
