import Contracts
import Foundation
import SQLStore
import Messaging

/// What a handler knows about the message it handles, and where it puts what it publishes:
/// messages collected here are written to the outbox in the handler's own transaction.
public final class HandlerContext {
    public let service: String
    public let messageID: String
    public let type: String
    /// The program that produced the message (`app_id`): a name, not an identity.
    public let appID: String?
    /// Who sent it, as the broker verified it, with what the access policy grants: the author of
    /// every change, and the stores whose data it may see.
    public let sender: Sender
    /// True when the sender waits for a reply (`reply_to`): a fault can be answered at once
    /// instead of retried in the background.
    public let expectsReply: Bool
    public let now: Date
    /// Where the sender waits for the answer, and how it knows it: kept with a recorded effect
    /// whose answer is sent when the effect's result is handled.
    let replyTo: String?
    let correlationID: String?
    private(set) var outgoing: [(exchange: String, routingKey: String, message: AMQPMessage)] = []
    private(set) var effects: [RecordedEffect] = []
    /// Set when a recorded effect will answer the request: the processor sends no reply now.
    private(set) var replyDeferred = false
    /// What `HandlerRegistry.batchRead` read for this message with the rest of its batch, while
    /// it is current; nil otherwise (the handler reads for itself).
    public internal(set) var batchRead: (any Sendable)?
    /// Reads shared by the handlers of this message's batch (`BatchMemo`).
    public let memo: BatchMemo

    init(service: String, messageID: String, type: String, appID: String?, sender: Sender,
         expectsReply: Bool = false, replyTo: String? = nil, correlationID: String? = nil, now: Date, memo: BatchMemo = BatchMemo()) {
        self.service = service
        self.messageID = messageID
        self.type = type
        self.appID = appID
        self.sender = sender
        self.expectsReply = expectsReply
        self.replyTo = replyTo
        self.correlationID = correlationID
        self.now = now
        self.memo = memo
    }

    /// Publishes a domain event on `crm.events` once the transaction commits.
    public func publish<Event: Encodable>(event: Event, type: String) throws {
        try enqueue(exchange: Exchanges.events, type: type, body: event)
    }

    /// Sends a command to another service on `crm.commands` once the transaction commits.
    public func send<Command: Encodable>(command: Command, type: String) throws {
        try enqueue(exchange: Exchanges.commands, type: type, body: command)
    }

    /// An external call to make once the transaction commits (see `EffectRunner`), never here:
    /// a batch rolled back and run again records it again, and only the committed row is performed.
    /// `secret` (a credential the call needs) is stored sealed with `secrets`, never in clear.
    /// With `answerWhenDone` the request is answered when the result is handled
    /// (`answer(effect:in:with:)`), not when this handler returns.
    public func record<Payload: Encodable>(effect kind: String, payload: Payload, secret: String? = nil,
                                           secrets: SecretBox? = nil, maxAttempts: Int = 1,
                                           answerWhenDone: Bool = false) throws {
        var sealed: String?
        if let secret {
            guard let secrets else { throw ErrorBody(code: .internal, message: "a secret of an effect needs a SecretBox to be sealed") }
            sealed = try secrets.seal(secret, context: PendingEffect.secretContext(originMessageID: messageID, kind: kind))
        }
        let answers = answerWhenDone && expectsReply
        // A payload that writes its own JSON (the same bytes) skips JSONEncoder's generic machinery.
        let data = try (payload as? any JSONWritable)?.jsonData() ?? JSONCoding.encoder.encode(payload)
        effects.append(RecordedEffect(kind: kind, payload: data, secretSealed: sealed,
                                      maxAttempts: max(1, maxAttempts), answerWhenDone: answers))
        if answers { replyDeferred = true }
    }

    /// Answers the request that recorded effect `effectID`, when it asked for an answer.
    public func answer(effect effectID: Int64, in db: SQLDatabase, with reply: Reply) throws {
        guard let origin = try EffectTable.origin(db, id: effectID) else { return }
        let message = AMQPMessage(
            body: try reply.body(), messageID: "reply-\(origin.messageID)", type: "reply",
            correlationID: origin.correlationID ?? origin.messageID, appID: service, timestamp: now, persistent: false)
        outgoing.append(("", origin.replyTo, message))
    }

    struct RecordedEffect {
        var kind: String
        var payload: Data
        var secretSealed: String?
        var maxAttempts: Int
        var answerWhenDone: Bool
    }

    private func enqueue<Body: Encodable>(exchange: String, type: String, body: Body) throws {
        let data = try (body as? any JSONWritable)?.jsonData() ?? JSONCoding.encoder.encode(body)
        let message = AMQPMessage(
            body: data, messageID: RandomID.uuid(), type: type,
            // No app id: the relay stamps the service's name on what it publishes, and a row
            // without one keeps its headers empty, which the relay reads without a parser.
            correlationID: messageID, appID: nil, timestamp: now)
        outgoing.append((exchange, type, message))
    }
}

/// Thrown by a handler when the failure may pass (an external API down, a lock held):
/// the message is retried through the retry queues with growing delays, then dead-lettered.
public struct TransientFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
