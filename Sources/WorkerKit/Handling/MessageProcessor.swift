import Contracts
import Foundation
import SQLStore
import Messaging

/// Turns a batch of deliveries into state changes, inbox rows and outbox messages, all inside the
/// caller's transaction. Nothing here talks to the broker: after the commit the caller acks the
/// whole batch, and the outbox relay publishes replies, events, retries and dead letters.
public struct MessageProcessor: Sendable {
    public enum Outcome: Sendable, Equatable {
        case handled(type: String, seconds: Double)
        case rejected(type: String, code: ErrorCode)
        case duplicate
        case retried(step: Int)
        case deadLettered(DeadLetterReason)
    }

    public let service: String
    public let registry: HandlerRegistry
    public let schemas: SchemaRegistry
    public let topology: ServiceTopology
    public let maxBodyBytes: Int
    public let access: AccessControl

    public init(service: String, registry: HandlerRegistry, schemas: SchemaRegistry,
                topology: ServiceTopology, maxBodyBytes: Int, access: AccessControl) {
        self.service = service
        self.registry = registry
        self.schemas = schemas
        self.topology = topology
        self.maxBodyBytes = maxBodyBytes
        self.access = access
    }

    public func process(_ deliveries: [Delivery], in db: SQLDatabase, now: Date = Date()) throws -> [Outcome] {
        try processBatch(deliveries, in: db, now: now, answers: nil)
    }

    /// Replies to queries, to publish straight after the commit (routing key = `reply_to`).
    public final class Answers {
        public internal(set) var replies: [(routingKey: String, message: AMQPMessage)] = []
        public init() {}
    }

    /// Like `process`, but query replies go to `answers` instead of the outbox.
    public func process(_ deliveries: [Delivery], in db: SQLDatabase, now: Date = Date(), answers: Answers) throws -> [Outcome] {
        try processBatch(deliveries, in: db, now: now, answers: answers)
    }

    /// The results of this service's own effects, handled in the transaction that records them
    /// (`EffectRunner+Recording.swift`), with the body the runner built. Neither the inbox nor the
    /// schema check is asked: the effect row leaves `pending` in this same transaction, once, so the
    /// result cannot come twice; and the body is ours, written by code, not by a sender. What the
    /// handler does, answers and publishes is exactly what the consumer would do with it.
    public func processOwnResults(_ results: [(delivery: Delivery, body: JSONValue)], in db: SQLDatabase, now: Date) throws -> [Outcome] {
        try processBatch(results.map(\.delivery), in: db, now: now, answers: nil, ownBodies: results.map(\.body))
    }

    /// A handler that fails must leave no trace, which takes a savepoint around each one. But a
    /// savepoint per message costs: SQLite compiles each SAVEPOINT, and an FTS5 table flushes
    /// its pending terms to a new segment at every one. So the batch runs first under a single
    /// savepoint; only when a handler throws is it rolled back and run again message by message.
    private func processBatch(_ deliveries: [Delivery], in db: SQLDatabase, now: Date, answers: Answers?,
                              ownBodies: [JSONValue]? = nil) throws -> [Outcome] {
        let deliveries = deliveries.map(restoringOwnReplyTo)
        let batch = ownBodies == nil ? try BatchInbox.load(deliveries, userOf: inboxUser(of:), in: db) : nil
        var outcomes: [Outcome] = []
        var needsIsolation = false
        do {
            outcomes = try db.savepoint {
                let reads = ownBodies == nil ? try BatchReads.load(deliveries, processor: self, in: db) : nil
                let memo = BatchMemo()
                return try deliveries.enumerated().map { index, delivery in
                    try process(delivery, in: db, now: now, answers: answers, isolated: false, batch: batch,
                                reads: reads.map { ($0, index) }, ownBody: ownBodies?[index], memo: memo)
                }
            }
        } catch is HandlerThrew {
            needsIsolation = true
        } catch where SQLConflict.isDatabaseError(error) && !SQLConflict.isTransient(error) {
            // A write sent ahead (PostgreSQL) failed where it cannot be told whose it was:
            // message by message, each under its savepoint, it is.
            needsIsolation = true
        }
        guard needsIsolation else { return outcomes }
        answers?.replies.removeAll()
        batch?.forgetLooks()
        let memo = BatchMemo()  // nothing read in the pass rolled back
        return try deliveries.enumerated().map { index, delivery in
            let outcome = try process(delivery, in: db, now: now, answers: answers, isolated: true, ownBody: ownBodies?[index],
                                      memo: memo)
            try db.flush()  // this message's outbox and inbox rows answer for themselves, not for the next one
            return outcome
        }
    }

    /// Raised in a batch without savepoints, to have it run again with them.
    private struct HandlerThrew: Error {}

    func process(_ delivery: Delivery, in db: SQLDatabase, now: Date, answers: Answers?, isolated: Bool,
                 batch: BatchInbox? = nil, reads: (BatchReads, index: Int)? = nil, ownBody: JSONValue? = nil,
                 memo: BatchMemo = BatchMemo()) throws -> Outcome {
        let message = delivery.message
        let check = EnvelopeCheck(maxBodyBytes: maxBodyBytes, workQueue: topology.workQueue, registry: registry)
        let accepted: EnvelopeCheck.Accepted
        switch check.run(delivery) {
        case .rejected(let reason, let detail):
            return try deadLetter(delivery, reason: reason, error: detail, in: db, now: now)
        case .accepted(let value):
            accepted = value
        }
        if ownBody == nil, try isDuplicate(message, id: accepted.messageID, in: db, batch: batch) { return .duplicate }

        let json: JSONValue
        if let ownBody {
            json = ownBody  // an effect's result, built by this service (`processOwnResults`)
        } else if let valid = reads.flatMap({ $0.0.validBody(at: $0.index) }) {
            json = valid  // parsed and validated with the batch's reads
        } else {
            switch try readBody(of: delivery, as: accepted.type, in: db, now: now) {
            case .valid(let value): json = value
            case .refused(let outcome): return outcome
            }
        }
        switch access.decide(message, type: accepted.type, kind: accepted.entry.kind, json: json) {
        case .allowed(let sender):
            return try run(accepted, delivery: delivery, json: json, sender: sender, in: db, now: now, answers: answers,
                           isolated: isolated, batchRead: reads.flatMap { $0.0.starting(accepted.type, at: $0.index) },
                           keepsInboxRow: ownBody == nil, memo: memo)
        case .refused(let error):
            return try refuse(delivery, accepted, error, in: db, now: now)
        }
    }

    private enum BodyReading {
        case valid(JSONValue)
        case refused(Outcome)
    }

    /// The body parsed once and checked against its type's schema; dead-lettered with the reason
    /// when it is not JSON, repeats a key, or breaks the schema.
    private func readBody(of delivery: Delivery, as type: String, in db: SQLDatabase, now: Date) throws -> BodyReading {
        let json: JSONValue
        do {
            json = try JSONValue.parse(delivery.message.body)
        } catch let duplicate as DuplicateKey {
            return .refused(try deadLetter(delivery, reason: .duplicateKey,
                                           error: .validationFailed([ErrorDetail(field: duplicate.field, problem: "duplicate_key")],
                                                                    message: "\(duplicate)"), in: db, now: now))
        } catch {
            return .refused(try deadLetter(delivery, reason: .malformedJSON,
                                           error: .validationFailed([ErrorDetail(field: "", problem: "malformed_json")],
                                                                    message: "the body is not JSON"), in: db, now: now))
        }
        if let issues = schemas.validate(json, type: type), !issues.isEmpty {
            let details = issues.map { ErrorDetail(field: $0.field, problem: $0.problem) }
            return .refused(try deadLetter(delivery, reason: .schemaViolation, error: .validationFailed(details), in: db, now: now))
        }
        return .valid(json)
    }

    /// A request is answered `unauthorized` (its sender is told, so nothing goes to the dead
    /// queue); anything else is dead-lettered with reason `unauthorized` for an operator to see.
    private func refuse(_ delivery: Delivery, _ accepted: EnvelopeCheck.Accepted, _ error: ErrorBody,
                        in db: SQLDatabase, now: Date) throws -> Outcome {
        guard let replyTo = delivery.message.replyTo, !replyTo.isEmpty else {
            return try deadLetter(delivery, reason: .unauthorized, error: error, in: db, now: now)
        }
        try reply(to: delivery.message, .failure(error), in: db, now: now)
        try record(accepted.messageID, of: delivery.message, type: accepted.type, outcome: .rejected, in: db, now: now)
        return .rejected(type: accepted.type, code: .unauthorized)
    }

    private func run(_ accepted: EnvelopeCheck.Accepted, delivery: Delivery, json: JSONValue, sender: Sender,
                     in db: SQLDatabase, now: Date, answers: Answers?, isolated: Bool, batchRead: (any Sendable)? = nil,
                     keepsInboxRow: Bool = true, memo: BatchMemo) throws -> Outcome {
        let message = delivery.message
        let context = HandlerContext(service: service, messageID: accepted.messageID, type: accepted.type,
                                     appID: message.appID, sender: sender,
                                     expectsReply: !(message.replyTo ?? "").isEmpty, replyTo: message.replyTo,
                                     correlationID: message.correlationID ?? message.messageID, now: now, memo: memo)
        context.batchRead = batchRead
        let started = ContinuousClock.now
        do {
            var result: JSONValue?
            if isolated {
                result = try db.savepoint { try accepted.entry.run(db, json, context) }
            } else {
                do {
                    result = try accepted.entry.run(db, json, context)
                } catch where SQLConflict.isTransient(error) {
                    throw error
                } catch {
                    throw HandlerThrew()
                }
            }
            for out in context.outgoing {
                try OutboxMessage.append(db, exchange: out.exchange, routingKey: out.routingKey, message: out.message, createdAt: now)
            }
            for effect in context.effects {
                try EffectTable.insert(db, effect, origin: accepted.messageID, replyTo: message.replyTo,
                                       correlationID: message.correlationID ?? message.messageID, now: now)
            }
            switch (accepted.entry.kind, answers) {
            case (.event, _):
                if keepsInboxRow { try record(accepted.messageID, of: message, type: accepted.type, outcome: .handled, in: db, now: now) }
            case (.query, let answers?):
                if let reply = try replyMessage(to: message, .success(result ?? .null), now: now) {
                    answers.replies.append(reply)
                }
            case (.command, _), (.query, nil):
                if !context.replyDeferred { try reply(to: message, .success(result ?? .null), in: db, now: now) }
                if keepsInboxRow { try record(accepted.messageID, of: message, type: accepted.type, outcome: .handled, in: db, now: now) }
            }
            let elapsed = ContinuousClock.now - started
            return .handled(type: accepted.type, seconds: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
        } catch let error as HandlerThrew {
            throw error
        } catch let error as ErrorBody where error.code == .validationFailed {
            return try deadLetter(delivery, reason: .invalidValue, error: error, in: db, now: now)
        } catch let error as ErrorBody {
            try reply(to: message, .failure(error), in: db, now: now)
            try record(accepted.messageID, of: message, type: accepted.type, outcome: .rejected, in: db, now: now)
            return .rejected(type: accepted.type, code: error.code)
        } catch where SQLConflict.isTransient(error) {
            throw error  // the whole batch is given back to the broker and tried again
        } catch {
            return try retry(delivery, reason: "\(error)", sender: sender, in: db, now: now)
        }
    }

    private func isDuplicate(_ message: AMQPMessage, id: String, in db: SQLDatabase, batch: BatchInbox?) throws -> Bool {
        let user = inboxUser(of: message)
        let found: InboxEntry.Outcome?
        if let known = batch?.firstLook(messageID: id, userID: user) {
            found = known
        } else {
            if db.engine == .postgres {
                // Replicas may hold two copies of one message at once (a relay crashed between publish
                // and delete): the second waits here until the first commits, then finds its inbox row.
                // Sent ahead without waiting: the inbox read below runs after it on the same connection.
                try db.enqueue("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [InboxEntry.lockName(messageID: id, userID: user)])
            }
            found = try InboxEntry.outcome(db, messageID: id, userID: user)
        }
        guard let outcome = found else { return false }
        // A dead letter replayed by an operator is handled again; any other repeat is skipped.
        if outcome == .dead, message.headers[DeadLetterHeader.replayed] != nil {
            try InboxEntry.forget(db, messageID: id, userID: user)
            return false
        }
        return true
    }

    /// Schedules another attempt through the next retry queue, or dead-letters after the last.
    private func retry(_ delivery: Delivery, reason: String, sender: Sender, in db: SQLDatabase, now: Date) throws -> Outcome {
        let attempts = ownRetryCount(of: delivery.message)
        guard attempts < topology.retryDelays.count else {
            let error = ErrorBody(code: .unavailable, message: "gave up after \(attempts) retries: \(reason)")
            return try deadLetter(delivery, reason: .retriesExhausted, error: error, in: db, now: now)
        }
        var message = delivery.message
        message.headers[DeadLetterHeader.retryCount] = .int(Int64(attempts + 1))
        // The relay republishes it as this service's user: the original sender rides along.
        message.headers[AccessControl.originalUserHeader] = .string(sender.userID)
        message.userID = nil
        message.headers[DeadLetterHeader.detail] = .string(String(reason.prefix(500)))
        // The outbox keeps no reply_to: it rides in a header, so that the retried request is answered.
        if let replyTo = message.replyTo, !replyTo.isEmpty { message.headers[DeadLetterHeader.originalReplyTo] = .string(replyTo) }
        message.headers[DeadLetterHeader.originalRoutingKey] = message.headers[DeadLetterHeader.originalRoutingKey]
            ?? .string(delivery.routingKey)
        try OutboxMessage.append(db, exchange: "", routingKey: topology.retryQueue(step: attempts + 1), message: message, createdAt: now)
        return .retried(step: attempts + 1)
    }

    func deadLetter(_ delivery: Delivery, reason: DeadLetterReason, error: ErrorBody,
                    in db: SQLDatabase, now: Date) throws -> Outcome {
        // A request refused is told so in its reply: nothing for an operator in the dead queue.
        if reason.isRefusal, let replyTo = delivery.message.replyTo, !replyTo.isEmpty {
            return try answerOnly(delivery, reason: reason, error: error, in: db, now: now)
        }
        var message = delivery.message
        message.headers[DeadLetterHeader.reason] = .string(reason.rawValue)
        message.headers[DeadLetterHeader.detail] = .string(String(error.message.prefix(1000)))
        message.headers[DeadLetterHeader.service] = .string(service)
        message.headers[DeadLetterHeader.failedAt] = .string(RFC3339.string(from: now))
        message.headers[DeadLetterHeader.originalExchange] = .string(delivery.exchange)
        message.headers[DeadLetterHeader.originalRoutingKey] = message.headers[DeadLetterHeader.originalRoutingKey]
            ?? .string(delivery.routingKey)
        message.headers[DeadLetterHeader.replayed] = nil
        if delivery.bodyDropped { message.headers[DeadLetterHeader.bodyDropped] = .int(Int64(delivery.bodySize)) }
        // Published by this service's user: a replay must still act for the original sender.
        if let user = access.effectiveUser(of: delivery.message, policy: access.current) {
            message.headers[AccessControl.originalUserHeader] = .string(user)
        } else {
            message.headers[AccessControl.originalUserHeader] = nil
        }
        message.userID = nil
        if let field = error.details.first?.field { message.headers[DeadLetterHeader.field] = .string(ErrorBody.clipped(field)) }
        if let replyTo = message.replyTo { message.headers[DeadLetterHeader.originalReplyTo] = .string(replyTo) }
        if message.messageID?.isEmpty ?? true { message.messageID = "dead-\(RandomID.uuid())" }
        SecretRedaction.redact(&message, fields: schemas.secretFields[message.type ?? delivery.routingKey] ?? [])
        DeadLetterHeaders.cap(&message)
        try OutboxMessage.append(db, exchange: "", routingKey: topology.deadQueue, message: message, createdAt: now)
        try reply(to: delivery.message, .failure(error), in: db, now: now)
        if let id = delivery.message.messageID, !id.isEmpty {
            try record(id, of: delivery.message, type: delivery.message.type ?? delivery.routingKey, outcome: .dead, in: db, now: now)
        }
        return .deadLettered(reason)
    }

    /// Replies go through the outbox too: a redelivered request finds its id in the inbox and is
    /// not answered twice.
    func reply(to request: AMQPMessage, _ reply: Reply, in db: SQLDatabase, now: Date) throws {
        guard let (replyTo, message) = try replyMessage(to: request, reply, now: now) else { return }
        try OutboxMessage.append(db, exchange: "", routingKey: replyTo, message: message, createdAt: now)
    }

    private func replyMessage(to request: AMQPMessage, _ reply: Reply, now: Date) throws -> (String, AMQPMessage)? {
        guard let replyTo = request.replyTo, !replyTo.isEmpty else { return nil }
        let message = AMQPMessage(
            body: try reply.body(), messageID: "reply-\(request.messageID ?? RandomID.uuid())",
            type: "reply", correlationID: request.correlationID ?? request.messageID, appID: service, timestamp: now,
            persistent: false)
        return (replyTo, message)
    }

    func record(_ id: String, of message: AMQPMessage, type: String, outcome: InboxEntry.Outcome,
                in db: SQLDatabase, now: Date) throws {
        try InboxEntry.record(db, messageID: id, userID: inboxUser(of: message), type: type, outcome: outcome, at: now)
    }
}

