import Foundation

/// A store's webhook endpoint as answered (schemas/notification.webhook.schema.json): never its secret.
public struct NotificationWebhook: Codable, Sendable, Equatable {
    public var webhookID: String
    public var storeID: String
    public var url: String
    public var eventTypes: [String]
    public var description: String?
    public var createdAt: Date
    public var lastDelivery: LastDelivery?

    public init(webhookID: String, storeID: String, url: String, eventTypes: [String], description: String?,
                createdAt: Date, lastDelivery: LastDelivery? = nil) {
        self.webhookID = webhookID
        self.storeID = storeID
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.createdAt = createdAt
        self.lastDelivery = lastDelivery
    }

    enum CodingKeys: String, CodingKey {
        case webhookID = "webhook_id", storeID = "store_id", url, eventTypes = "event_types", description
        case createdAt = "created_at", lastDelivery = "last_delivery"
    }

    /// How the newest delivery to the endpoint went (or stands).
    public struct LastDelivery: Codable, Sendable, Equatable {
        public enum State: String, Codable, Sendable { case pending, delivered, failed }

        public var eventID: String
        public var eventType: String
        public var state: State
        public var attempts: Int
        public var httpStatus: Int?
        public var reason: String?
        public var at: Date

        public init(eventID: String, eventType: String, state: State, attempts: Int, httpStatus: Int?, reason: String?, at: Date) {
            self.eventID = eventID
            self.eventType = eventType
            self.state = state
            self.attempts = attempts
            self.httpStatus = httpStatus
            self.reason = reason
            self.at = at
        }

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", eventType = "event_type", state, attempts, httpStatus = "http_status", reason, at
        }
    }
}
