import Foundation

/// `notification.delivered` and `notification.failed` (schemas/notification.delivered.schema.json,
/// notification.failed.schema.json): how a delivery ended. `reason` only on a failure. A webhook
/// delivery (channel `webhook`) names its endpoint and event; its `recipient` is the endpoint's
/// URL without the query (where a token may sit) and its `template` the event type.
public struct NotificationOutcome: Codable, Sendable, Equatable {
    /// The send channels and webhooks: every way a delivery leaves the service.
    public enum Channel: String, Codable, Sendable, Equatable {
        case email, sms, webhook
    }

    public var storeID: String
    public var deliveryID: String
    public var channel: Channel
    public var recipient: String
    public var clientID: String?
    public var webhookID: String?
    public var eventID: String?
    public var eventType: String?
    public var template: String
    public var category: NotificationSend.Category
    public var attempts: Int
    public var reason: String?
    public var at: Date

    public init(storeID: String, deliveryID: String, channel: Channel, recipient: String, clientID: String?,
                template: String, category: NotificationSend.Category, attempts: Int, reason: String?, at: Date,
                webhookID: String? = nil, eventID: String? = nil, eventType: String? = nil) {
        self.storeID = storeID
        self.deliveryID = deliveryID
        self.channel = channel
        self.recipient = recipient
        self.clientID = clientID
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.template = template
        self.category = category
        self.attempts = attempts
        self.reason = reason
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", deliveryID = "delivery_id", channel, recipient, clientID = "client_id"
        case webhookID = "webhook_id", eventID = "event_id", eventType = "event_type", template, category
        case attempts, reason, at
    }
}
