import Foundation
import SQLStore
import Logging
import Messaging

/// The consuming side of a worker, on a thread of its own: connect, declare the topology, consume,
/// handle each batch in one transaction, ack the batch after the commit. A lost connection is
/// re-established with backoff; unacknowledged deliveries come back from the broker and the
/// inbox recognises the ones already handled.
final class ConsumerLoop: Sendable {
    let config: WorkerConfig
    let topology: ServiceTopology
    let processor: MessageProcessor
    let database: SQLStorage
    let metrics: WorkerMetrics
    let relayWakeup: DispatchSemaphore
    /// The effect runner's: a batch may have recorded external calls.
    let effectWakeup: DispatchSemaphore?
    let logger: Logger
    let stopRequested = SharedFlag()
    let isConsuming = SharedFlag()

    init(config: WorkerConfig, topology: ServiceTopology, processor: MessageProcessor, database: SQLStorage,
         metrics: WorkerMetrics, relayWakeup: DispatchSemaphore, effectWakeup: DispatchSemaphore? = nil, logger: Logger) {
        self.config = config
        self.topology = topology
        self.processor = processor
        self.database = database
        self.metrics = metrics
        self.relayWakeup = relayWakeup
        self.effectWakeup = effectWakeup
        self.logger = logger
    }

    func run() {
        var backoff = Backoff()
        var brokers = config.brokers
        var firstAttempt = true
        while !stopRequested.isSet {
            if !firstAttempt { metrics.reconnects.increment() }
            firstAttempt = false
            do {
                let connection = try brokers.connect()
                for queue in try topology.declare(on: connection) {
                    logger.warning("queue declared by an earlier version without its bound: apply the policy in the README",
                                   metadata: ["queue": "\(queue)"])
                }
                try connection.setPrefetch(config.prefetch)
                var consumerTags = [try connection.consume(queue: topology.workQueue)]
                if !topology.queryKeys.isEmpty { consumerTags.append(try connection.consume(queue: topology.queryQueue)) }
                isConsuming.set(true)
                backoff.reset()
                logger.info("consuming", metadata: ["queue": "\(topology.workQueue)", "broker": "\(connection.url)"])
                try consume(on: connection)
                // Graceful stop: the batch in hand is done; what was prefetched goes back to the queue.
                for tag in consumerTags { try? connection.cancel(consumerTag: tag) }
                connection.close()
                isConsuming.set(false)
            } catch {
                isConsuming.set(false)
                let delay = backoff.next()
                logger.warning("broker connection lost", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                sleep(delay, unless: stopRequested)
            }
        }
        logger.info("consumer stopped")
    }

    private func consume(on connection: AMQPConnection) throws {
        while !stopRequested.isSet {
            guard let first = try connection.nextDelivery(timeout: .milliseconds(200), maxBodyBytes: config.maxBodyBytes) else { continue }
            if first.redelivered {
                try handleRedelivered(first, on: connection)
                continue
            }
            var batch = [first]
            var redelivered: Delivery?
            // Take what has already arrived, without waiting: batches grow with the load. A
            // redelivery ends the batch: it is handled alone (PoisonGuard), after it.
            while batch.count < config.batchSize, let next = try connection.nextDelivery(timeout: .zero, maxBodyBytes: config.maxBodyBytes) {
                if next.redelivered {
                    redelivered = next
                    break
                }
                batch.append(next)
            }
            try handle(batch, on: connection)
            if let redelivered { try handleRedelivered(redelivered, on: connection) }
        }
    }

    func handle(_ batch: [Delivery], on connection: AMQPConnection,
                work: ((SQLDatabase, MessageProcessor.Answers) throws -> [MessageProcessor.Outcome])? = nil) throws {
        var outcomes: [MessageProcessor.Outcome] = []
        var answers = MessageProcessor.Answers()
        let started = ContinuousClock.now
        do {
            // A conflict with another replica's transaction (or SQLite's busy lock) is run again
            // at once: the second attempt sees what the other committed.
            for attempt in 1... {
                answers = MessageProcessor.Answers()
                do {
                    outcomes = try database.write { db in
                        try work?(db, answers) ?? processor.process(batch, in: db, answers: answers)
                    }
                    break
                } catch where SQLConflict.isTransient(error) && attempt < 5 {
                    logger.debug("batch conflicted; running it again", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                    sleep(.milliseconds(10 * attempt), unless: stopRequested)
                }
            }
            logger.trace("batch committed", metadata: ["size": "\(batch.count)", "elapsed": "\(ContinuousClock.now - started)"])
        } catch {
            // Nothing committed: give the batch back and let the broker deliver it again.
            logger.error("batch failed; returning it to the queue", metadata: ["error": "\(error)", "size": "\(batch.count)"])
            try connection.nack(batch.last!.deliveryTag, multiple: true, requeue: true)
            sleep(.milliseconds(500), unless: stopRequested)
            return
        }
        // Query answers go out before the ack: if the connection drops in between, the query is
        // delivered again and answered again.
        for (replyTo, message) in answers.replies {
            try connection.publish(exchange: "", routingKey: replyTo, message: message)
        }
        try connection.ack(batch.last!.deliveryTag, multiple: true)
        relayWakeup.signal()
        effectWakeup?.signal()
        metrics.record(outcomes)
        for (delivery, outcome) in zip(batch, outcomes) {
            if case .deadLettered(let reason) = outcome {
                logger.notice("dead-lettered", metadata: [
                    "reason": "\(reason.rawValue)", "message_id": "\(delivery.message.messageID ?? "-")",
                    "type": "\(delivery.message.type ?? delivery.routingKey)",
                ])
            }
        }
    }
}
