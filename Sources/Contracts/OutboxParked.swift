import Foundation

/// `<service>.outbox.parked` query (schemas/<service>.outbox.parked.schema.json): the outbox
/// messages the broker refused, newest first.
public struct OutboxParkedQuery: Codable, Sendable, Equatable {
    public var limit: Int?

    public init(limit: Int? = nil) { self.limit = limit }
}

/// Its result (schemas/outbox_parked.result.schema.json).
public struct OutboxParkedList: Codable, Sendable, Equatable {
    public struct Message: Codable, Sendable, Equatable {
        public var id: Int64
        public var exchange: String
        public var routingKey: String
        public var messageID: String
        public var type: String?
        public var bodyBytes: Int
        public var parkedAt: Date
        public var reason: String

        public init(id: Int64, exchange: String, routingKey: String, messageID: String, type: String?,
                    bodyBytes: Int, parkedAt: Date, reason: String) {
            self.id = id
            self.exchange = exchange
            self.routingKey = routingKey
            self.messageID = messageID
            self.type = type
            self.bodyBytes = bodyBytes
            self.parkedAt = parkedAt
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case id, exchange, type, reason
            case routingKey = "routing_key", messageID = "message_id", bodyBytes = "body_bytes"
            case parkedAt = "parked_at"
        }
    }

    public var total: Int
    public var messages: [Message]

    public init(total: Int, messages: [Message]) {
        self.total = total
        self.messages = messages
    }
}

extension ServiceName {
    public var outboxParkedType: String { "\(rawValue).outbox.parked" }
}
