import Foundation
import Messaging
import Synchronization

/// A test's own queue on `crm.events` (or any exchange), to see what the services publish.
/// Declared before the traffic starts, so nothing published after it is missed. A thread of its
/// own reads the deliveries as they come: a tap read only at the end of a long test would leave
/// its connection silent (no heartbeats answered) until the broker closes it.
final class EventTap {
    let connection: AMQPConnection
    let queue: String
    private let reader: Reader

    init(url: AMQPURL, exchange: String = Exchanges.events, keys: [String]) throws {
        connection = try AMQPConnection(url: url)
        try ServiceTopology.declareShared(on: connection)
        queue = try connection.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
        for key in keys { try connection.bindQueue(queue, exchange: exchange, routingKey: key) }
        try connection.consume(queue: queue, noAck: true)
        reader = Reader(connection: connection)
    }

    deinit {
        reader.stop()
    }

    /// Waits until `count` messages came or `timeout` passed; then takes what came.
    func collect(_ count: Int, timeout: Duration) throws -> [AMQPMessage] {
        let deadline = ContinuousClock.now + timeout
        while reader.received.withLock({ $0.count }) < count, ContinuousClock.now < deadline {
            if let failure = reader.failure.withLock({ $0 }) { throw TapFailed(reason: failure) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return reader.received.withLock { messages in
            defer { messages.removeFirst(min(count, messages.count)) }
            return Array(messages.prefix(count))
        }
    }

    struct TapFailed: Error, CustomStringConvertible {
        let reason: String
        var description: String { "the event tap's connection failed: \(reason)" }
    }

    /// The thread that reads the tap's deliveries as they come; the connection is its alone.
    private final class Reader: Sendable {
        let received = Mutex<[AMQPMessage]>([])
        let failure = Mutex<String?>(nil)
        private let stopped = Mutex(false)
        private let done = DispatchSemaphore(value: 0)

        init(connection: AMQPConnection) {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                while !stopped.withLock({ $0 }) {
                    do {
                        if let delivery = try connection.nextDelivery(timeout: .milliseconds(100)) {
                            received.withLock { $0.append(delivery.message) }
                        }
                    } catch {
                        failure.withLock { $0 = "\(error)" }
                        return
                    }
                }
            }
        }

        func stop() {
            stopped.withLock { $0 = true }
            done.wait()
        }
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
