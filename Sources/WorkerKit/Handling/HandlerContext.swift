import Contracts
import Foundation
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
    private(set) var outgoing: [(exchange: String, routingKey: String, message: AMQPMessage)] = []

    init(service: String, messageID: String, type: String, appID: String?, sender: Sender,
         expectsReply: Bool = false, now: Date) {
        self.service = service
        self.messageID = messageID
        self.type = type
        self.appID = appID
        self.sender = sender
        self.expectsReply = expectsReply
        self.now = now
    }

    /// Publishes a domain event on `crm.events` once the transaction commits.
    public func publish<Event: Encodable>(event: Event, type: String) throws {
        try enqueue(exchange: Exchanges.events, type: type, body: event)
    }

    /// Sends a command to another service on `crm.commands` once the transaction commits.
    public func send<Command: Encodable>(command: Command, type: String) throws {
        try enqueue(exchange: Exchanges.commands, type: type, body: command)
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
