import Foundation
import Messaging

/// A test's own queue on `crm.events` (or any exchange), to see what the services publish.
/// Declared before the traffic starts, so nothing published after it is missed.
final class EventTap {
    let connection: AMQPConnection
    let queue: String

    init(url: AMQPURL, exchange: String = Exchanges.events, keys: [String]) throws {
        connection = try AMQPConnection(url: url)
        try ServiceTopology.declareShared(on: connection)
        queue = try connection.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
        for key in keys { try connection.bindQueue(queue, exchange: exchange, routingKey: key) }
        try connection.consume(queue: queue, noAck: true)
    }

    /// Reads until `count` messages came or `timeout` passed.
    func collect(_ count: Int, timeout: Duration) throws -> [AMQPMessage] {
        var messages: [AMQPMessage] = []
        let deadline = ContinuousClock.now + timeout
        while messages.count < count, ContinuousClock.now < deadline {
            if let delivery = try connection.nextDelivery(timeout: .milliseconds(100)) { messages.append(delivery.message) }
        }
        return messages
    }
}

/// Publishes with confirms, as a shop integration should.
final class ConfirmedPublisher {
    let connection: AMQPConnection

    init(url: AMQPURL) throws {
        connection = try AMQPConnection(url: url)
        try ServiceTopology.declareShared(on: connection)
        try connection.enableConfirms()
    }

    func publish(_ messages: [AMQPMessage], exchange: String = Exchanges.events, batch: Int = 500) throws {
        for chunk in stride(from: 0, to: messages.count, by: batch) {
            for message in messages[chunk..<min(chunk + batch, messages.count)] {
                try connection.publish(exchange: exchange, routingKey: message.type ?? "", message: message)
            }
            try connection.waitForConfirms()
        }
    }
}
