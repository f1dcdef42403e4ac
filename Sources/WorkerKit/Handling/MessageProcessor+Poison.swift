import Contracts
import Foundation
import SQLStore
import Messaging

/// The processor's guards against poison and forgery: whose inbox row a message is, the retry
/// count it may be trusted with, requests refused by answer alone, and poison given up.
extension MessageProcessor {
    /// The sender an inbox row is kept under: the verified one, or for a retry this service
    /// republished, the original sender it carries.
    func inboxUser(of message: AMQPMessage) -> String {
        access.effectiveUser(of: message, policy: access.current) ?? ""
    }

    /// The retry count is this service's own: it is read only from a message this service
    /// published itself (broker-verified `user_id`), and never outside the retry steps.
    func ownRetryCount(of message: AMQPMessage) -> Int {
        guard message.userID == access.serviceUser,
              let count = message.headers[DeadLetterHeader.retryCount]?.intValue else { return 0 }
        return Int(min(max(count, 0), Int64(topology.retryDelays.count)))
    }

    /// A retry this service published itself gets back the `reply_to` it carries in a header
    /// (the outbox row has no column for it); from anyone else the header is ignored.
    func restoringOwnReplyTo(_ delivery: Delivery) -> Delivery {
        guard delivery.message.replyTo == nil, delivery.message.userID == access.serviceUser,
              let replyTo = delivery.message.headers[DeadLetterHeader.originalReplyTo]?.stringValue else { return delivery }
        var delivery = delivery
        delivery.message.replyTo = replyTo
        return delivery
    }

    /// A request refused (not valid, not allowed) gets its error reply and nothing more: the
    /// dead queue keeps what nobody was told about.
    func answerOnly(_ delivery: Delivery, reason: DeadLetterReason, error: ErrorBody,
                    in db: SQLDatabase, now: Date) throws -> Outcome {
        try reply(to: delivery.message, .failure(error), in: db, now: now)
        let type = delivery.message.type ?? delivery.routingKey
        if let id = delivery.message.messageID, !id.isEmpty {
            try record(id, of: delivery.message, type: type, outcome: .rejected, in: db, now: now)
        }
        return .rejected(type: type, code: error.code)
    }

    /// A message delivered `attempts` times without ever being settled (it crashed the worker or
    /// failed its transaction each time) is dead-lettered without running its handler again.
    public func giveUp(_ delivery: Delivery, attempts: Int, in db: SQLDatabase, now: Date = Date()) throws -> Outcome {
        var delivery = delivery
        delivery.message.headers[DeadLetterHeader.attempts] = .int(Int64(attempts))
        let error = ErrorBody(code: .internal, message: "delivered \(attempts) times without being handled: "
                              + "it crashed the worker or failed its transaction each time")
        return try deadLetter(delivery, reason: .tooManyAttempts, error: error, in: db, now: now)
    }
}
