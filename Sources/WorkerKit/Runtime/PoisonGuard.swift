import Foundation
import SQLStore
import Messaging

/// Bounds redeliveries on every queue the worker consumes (the classic query queue has no
/// broker-side limit). A redelivery is handled alone, so that a message which crashes the
/// worker or fails its transaction cannot take the rest of a batch down with it again; and its
/// attempt is committed before the handler runs. Past `maxAttempts` it is dead-lettered with
/// reason `too_many_attempts` without running the handler. The count is the service's own,
/// kept per message id and verified sender, never read from the message.
extension ConsumerLoop {
    func handleRedelivered(_ delivery: Delivery, on connection: AMQPConnection) throws {
        guard let id = delivery.message.messageID, !id.isEmpty else {
            // Without an id it is dead-lettered by the envelope check, before any handler.
            return try handle([delivery], on: connection)
        }
        let user = delivery.message.userID ?? ""
        let attempts: Int
        do {
            attempts = try database.write { db in try DeliveryAttempt.count(db, messageID: id, userID: user, at: Date()) }
        } catch {
            logger.error("cannot count a delivery attempt; returning it to the queue", metadata: ["error": "\(error)"])
            try connection.nack(delivery.deliveryTag, multiple: false, requeue: true)
            sleep(.milliseconds(500), unless: stopRequested)
            return
        }
        let processor = processor
        if attempts > config.maxAttempts {
            logger.warning("giving up on a message delivered too often", metadata: [
                "message_id": "\(id)", "attempts": "\(attempts)", "type": "\(delivery.message.type ?? delivery.routingKey)",
            ])
            try handle([delivery], on: connection) { db, _ in
                let outcome = try processor.giveUp(delivery, attempts: attempts, in: db)
                try DeliveryAttempt.clear(db, messageID: id, userID: user)
                return [outcome]
            }
        } else {
            try handle([delivery], on: connection) { db, answers in
                let outcomes = try processor.process([delivery], in: db, answers: answers)
                try DeliveryAttempt.clear(db, messageID: id, userID: user)
                return outcomes
            }
        }
    }
}
