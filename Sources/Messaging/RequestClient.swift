import Foundation

/// Sends commands and queries and waits for their replies over RabbitMQ's direct reply-to
/// (`amq.rabbitmq.reply-to`): no reply queue to declare or clean up. Used by crmctl, tests and
/// benchmarks; like its connection it belongs to one thread at a time.
public final class RequestClient: @unchecked Sendable {
    public let connection: AMQPConnection
    private let appID: String
    private var buffered: [String: AMQPMessage] = [:]
    /// Requests the broker returned as unroutable, by message id, with their type.
    private var returned: [String: String] = [:]

    public convenience init(url: AMQPURL, appID: String = "crmctl") throws {
        try self.init(connection: AMQPConnection(url: url), appID: appID)
    }

    /// On a connection already open (e.g. to the first node of a cluster that answered).
    public init(connection: AMQPConnection, appID: String = "crmctl") throws {
        self.connection = connection
        self.appID = appID
        // Nothing is declared: the services declare the exchanges, and an operator's user may
        // configure nothing on the broker.
        try connection.consume(queue: "amq.rabbitmq.reply-to", noAck: true)
    }

    /// Publishes a request as mandatory on `crm.requests` and returns the reply's message.
    /// Throws `.unroutable` at once when no service binds `type`, `.timeout` when no reply came.
    public func request(type: String, body: Data, messageID: String = UUID().uuidString,
                        exchange: String = Exchanges.requests, headers: [String: AMQPFieldValue] = [:],
                        timeout: Duration = .seconds(10)) throws -> AMQPMessage {
        try send(type: type, body: body, messageID: messageID, exchange: exchange, headers: headers)
        return try waitForReply(correlationID: messageID, timeout: timeout)
    }

    /// Publishes a request without waiting; pair with `waitForReply` to keep many in flight.
    public func send(type: String, body: Data, messageID: String, exchange: String = Exchanges.requests,
                     headers: [String: AMQPFieldValue] = [:], contentType: String? = "application/json") throws {
        let message = AMQPMessage(
            body: body, contentType: contentType, messageID: messageID, type: type, correlationID: messageID,
            replyTo: "amq.rabbitmq.reply-to", appID: appID, timestamp: Date(), headers: headers)
        try connection.publish(exchange: exchange, routingKey: type, message: message, mandatory: true)
    }

    public func waitForReply(correlationID: String, timeout: Duration) throws -> AMQPMessage {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let reply = buffered.removeValue(forKey: correlationID) { return reply }
            if let type = returned.removeValue(forKey: correlationID) {
                throw AMQPError.unroutable(exchange: Exchanges.requests, routingKey: type, text: "NO_ROUTE", messageID: correlationID)
            }
            guard ContinuousClock.now < deadline else { throw AMQPError.timeout("reply to \(correlationID)") }
            do {
                if let delivery = try connection.nextDelivery(timeout: min(deadline - ContinuousClock.now, .milliseconds(200))) {
                    buffered[delivery.message.correlationID ?? ""] = delivery.message
                }
            } catch AMQPError.unroutable(_, let routingKey, _, let messageID?) {
                returned[messageID] = routingKey
            }
        }
    }
}
