import Foundation

/// A header or queue-argument value: AMQP tables hold many kinds, we use these.
public enum AMQPFieldValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)

    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        }
    }

    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .string(let s): return Int64(s)
        case .bool: return nil
        }
    }
}

/// A message as published or delivered: the envelope lives in the AMQP basic properties.
public struct AMQPMessage: Sendable, Equatable {
    public var body: Data
    public var contentType: String?
    public var messageID: String?
    public var type: String?
    public var correlationID: String?
    public var replyTo: String?
    public var appID: String?
    /// The sender as the broker verified it: RabbitMQ refuses a message whose `user_id` is not the
    /// connection's user. `AMQPConnection.publish` fills it in when it is nil.
    public var userID: String?
    /// Seconds since 1970, the resolution AMQP's timestamp property has.
    public var timestamp: Date?
    public var headers: [String: AMQPFieldValue]
    public var persistent: Bool

    public init(body: Data, contentType: String? = "application/json", messageID: String? = nil,
                type: String? = nil, correlationID: String? = nil, replyTo: String? = nil,
                appID: String? = nil, userID: String? = nil, timestamp: Date? = nil, headers: [String: AMQPFieldValue] = [:],
                persistent: Bool = true) {
        self.body = body
        self.contentType = contentType
        self.messageID = messageID
        self.type = type
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.appID = appID
        self.userID = userID
        self.timestamp = timestamp
        self.headers = headers
        self.persistent = persistent
    }
}

/// A message the broker handed to a consumer, with what is needed to ack it.
public struct Delivery: Sendable {
    public var message: AMQPMessage
    public var deliveryTag: UInt64
    public var redelivered: Bool
    public var exchange: String
    public var routingKey: String
    /// The body's size as the broker announced it. Larger than `message.body.count` when the
    /// consumer dropped a body over its limit without reading it into memory.
    public var bodySize: Int

    public init(message: AMQPMessage, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String,
                bodySize: Int? = nil) {
        self.message = message
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.bodySize = bodySize ?? message.body.count
    }

    /// True when the body was over the consumer's limit and was not kept.
    public var bodyDropped: Bool { bodySize != message.body.count }
}

extension AMQPFieldValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        }
    }
}
