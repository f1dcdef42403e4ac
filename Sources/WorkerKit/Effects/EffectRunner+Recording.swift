import Contracts
import Foundation
import Messaging
import SQLStore

/// How the effect runner writes what its calls did: the outcomes of every call that ended since
/// the last turn in ONE write transaction (per call, a read and a write transaction were most of
/// the runner's cost). An effect leaves `inFlight` only once its outcome is committed, so a call
/// is never repeated while its outcome waits; if the process dies first, the effect is still due
/// and is called again, as before (a receiver can tell by the same id).
///
/// With `results` (the worker sets it), each `<kind>.completed` is handled in that same
/// transaction by the service's own `MessageProcessor`, as the consumer would handle it from the
/// work queue (access as the service's user, handler, its outbox rows, retries and dead letters
/// through the outbox), instead of a trip out to the broker and back: one relayed message and one
/// consumer pass less per call. No inbox row and no schema check: the effect leaves `pending` in
/// that transaction, once, and the body is the runner's own (`MessageProcessor.processOwnResults`).
/// A result whose handling the database refuses goes the old way, through the outbox to the work
/// queue.
extension EffectRunner {
    /// Records the calls that ended; a batch the database refuses is written one by one, and an
    /// outcome it refuses even alone leaves its effect due (called again, as before the batching).
    func recordFinished() {
        record(takeFinished())
    }

    /// The calls that ended since the last look, taken out of `finished`.
    func takeFinished() -> [(PendingEffect, Outcome)] {
        finished.withLock { finished in
            defer { finished.removeAll() }
            return finished
        }
    }

    func record(_ batch: [(PendingEffect, Outcome)]) {
        guard !batch.isEmpty else { return }
        _ = record(batch) { _ in () }
    }

    /// Records `batch` and runs `then` in the same transaction, after the outcomes; its value
    /// when that transaction committed, nil when the batch had to be written another way.
    func record<T>(_ batch: [(PendingEffect, Outcome)], then: (SQLDatabase) throws -> T) -> T? {
        var value: T?
        do {
            value = try write(batch, handling: results, then: then)
        } catch where batch.count > 1 {
            logger.warning("cannot record a batch of effect outcomes; one by one", metadata: ["error": "\(error)"])
            for one in batch { record([one]) }
            return nil
        } catch where results != nil {
            do {
                try write(batch, handling: nil) { _ in () }
            } catch {
                logger.error("cannot record an effect's outcome", metadata: ["effect_id": "\(batch[0].0.id)", "error": "\(error)"])
            }
        } catch {
            logger.error("cannot record an effect's outcome", metadata: ["effect_id": "\(batch[0].0.id)", "error": "\(error)"])
        }
        inFlight.withLock { inFlight in
            for (effect, _) in batch { inFlight.remove(effect.id) }
        }
        return value
    }

    /// One transaction: each effect done (its result handled here, or sent to the work queue
    /// through the outbox) or due again; then `then`.
    private func write<T>(_ batch: [(PendingEffect, Outcome)], handling: EffectResultHandling?,
                          then: (SQLDatabase) throws -> T) throws -> T {
        let now = Date()
        var completions = 0
        let value = try database.write { db in
            var handledHere: [(delivery: Delivery, body: JSONValue)] = []
            for (effect, outcome) in batch {
                let attempts = effect.attempts + 1
                switch outcome {
                case .answered(let result):
                    try complete(db, effect, attempts: attempts, result: result, failure: nil, now: now, handling: handling, into: &handledHere)
                case .failed(let reason):
                    try complete(db, effect, attempts: attempts, result: nil, failure: reason, now: now, handling: handling, into: &handledHere)
                case .fault(let reason, let notBefore) where attempts < effect.maxAttempts:
                    let delay = max(settings.backoff(after: attempts), notBefore ?? .zero)
                    try EffectTable.reschedule(db, id: effect.id, attempts: attempts, at: now + delay.inSeconds, error: reason)
                    continue
                case .fault(let reason, _):
                    try complete(db, effect, attempts: attempts, result: nil, failure: reason, now: now, handling: handling, into: &handledHere)
                case .waiting(let reason):
                    // Its host is busy with other calls: due again soon, with no attempt used.
                    let delay = Double.random(in: 0.25...0.75)
                    try EffectTable.reschedule(db, id: effect.id, attempts: effect.attempts, at: now + delay, error: reason)
                    continue
                }
                completions += 1
            }
            if let handling, !handledHere.isEmpty {
                _ = try handling.processor.processOwnResults(handledHere, in: db, now: now)
            }
            return try then(db)
        }
        if completions > 0 { relayWakeup?.signal() }
        return value
    }

    private func complete(_ db: SQLDatabase, _ effect: PendingEffect, attempts: Int, result: JSONValue?, failure: String?,
                          now: Date, handling: EffectResultHandling?, into handledHere: inout [(delivery: Delivery, body: JSONValue)]) throws {
        let message = AMQPMessage(body: Self.completion(effect, attempts: attempts, result: result, failure: failure, now: now),
                                  messageID: "effect-\(effect.id)-completed",
                                  type: EffectRegistry.completionType(of: effect.kind), timestamp: now)
        try EffectTable.complete(db, id: effect.id, attempts: attempts, error: failure, now: now)
        if let handling {
            // As the relay would publish it and the broker deliver it: from the service's own user.
            var own = message
            own.userID = handling.serviceUser
            own.appID = handling.processor.service
            // Its body as a value: the handler needs no second reading of what was just written.
            handledHere.append((Delivery(message: own, deliveryTag: 0, redelivered: false, exchange: "", routingKey: workQueue),
                                try JSONValue.parse(message.body)))
            return
        }
        // Straight to the work queue (default exchange): the result concerns this service alone.
        try OutboxMessage.append(db, exchange: "", routingKey: workQueue, message: message, createdAt: now)
    }
}

extension EffectRunner {
    /// The body of `<kind>.completed` (an `EffectCompleted`), written directly: the payload as
    /// the row keeps it (JSON the handler wrote), not parsed into a value and encoded again by
    /// JSONEncoder (that round trip was ~6 % of the runner's CPU per e-mail).
    static func completion(_ effect: PendingEffect, attempts: Int, result: JSONValue?, failure: String?, now: Date) -> Data {
        var json = JSONWriter()
        json.object { json in
            json.field("attempts", Int64(attempts))
            json.field("completed_at", now)
            json.field("effect_id", effect.id)
            json.field("failure", failure)
            json.field("kind", effect.kind)
            json.key("payload")
            json.raw(effect.payload)
            if let result {
                json.key("result")
                json.value(result)
            }
        }
        return Data(json.bytes)
    }
}

/// The worker's processor and broker user, for the effect runner to handle `<kind>.completed` in
/// the transaction that records it (see `EffectRunner+Recording.swift`).
public struct EffectResultHandling: Sendable {
    public let processor: MessageProcessor
    /// The user the relay publishes as (the service's broker user), which the results' access rule expects.
    public let serviceUser: String

    public init(processor: MessageProcessor, serviceUser: String) {
        self.processor = processor
        self.serviceUser = serviceUser
    }
}
