import Foundation

/// `notification.deliveries` (schemas/notification.deliveries.schema.json): a store's deliveries
/// by one of delivery id, client or recipient, newest first, each with its attempts.
public struct NotificationDeliveriesQuery: Codable, Sendable, Equatable {
    public var storeID: String
    public var deliveryID: String?
    public var clientID: String?
    public var recipient: String?
    public var limit: Int?

    public init(storeID: String, deliveryID: String? = nil, clientID: String? = nil, recipient: String? = nil, limit: Int? = nil) {
        self.storeID = storeID
        self.deliveryID = deliveryID
        self.clientID = clientID
        self.recipient = recipient
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", deliveryID = "delivery_id", clientID = "client_id", recipient, limit
    }
}

/// The answer to `notification.deliveries` (schemas/notification.deliveries.result.schema.json).
public struct NotificationDeliveriesResult: Codable, Sendable, Equatable {
    public struct Attempt: Codable, Sendable, Equatable {
        /// The effect's calls this result covers (the runner retries faults before it reports).
        public var calls: Int
        public var result: String
        public var detail: String?
        public var at: Date

        public init(calls: Int, result: String, detail: String?, at: Date) {
            self.calls = calls
            self.result = result
            self.detail = detail
            self.at = at
        }
    }

    public struct Delivery: Codable, Sendable, Equatable {
        public var deliveryID: String
        public var channel: NotificationSend.Channel
        public var recipient: String
        public var clientID: String?
        public var template: String
        public var locale: String
        public var category: NotificationSend.Category
        public var status: NotificationSendResult.Status
        public var reason: String?
        public var createdAt: Date
        public var completedAt: Date?
        public var attempts: [Attempt]

        public init(deliveryID: String, channel: NotificationSend.Channel, recipient: String, clientID: String?, template: String,
                    locale: String, category: NotificationSend.Category, status: NotificationSendResult.Status, reason: String?,
                    createdAt: Date, completedAt: Date?, attempts: [Attempt]) {
            self.deliveryID = deliveryID
            self.channel = channel
            self.recipient = recipient
            self.clientID = clientID
            self.template = template
            self.locale = locale
            self.category = category
            self.status = status
            self.reason = reason
            self.createdAt = createdAt
            self.completedAt = completedAt
            self.attempts = attempts
        }

        enum CodingKeys: String, CodingKey {
            case deliveryID = "delivery_id", channel, recipient, clientID = "client_id", template, locale, category, status
            case reason, createdAt = "created_at", completedAt = "completed_at", attempts
        }
    }

    public var deliveries: [Delivery]
    public init(deliveries: [Delivery]) { self.deliveries = deliveries }
}
