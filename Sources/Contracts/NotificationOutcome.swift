import Foundation

/// `notification.delivered` and `notification.failed` (schemas/notification.delivered.schema.json,
/// notification.failed.schema.json): how a delivery ended. `reason` only on a failure.
public struct NotificationOutcome: Codable, Sendable, Equatable {
    public var storeID: String
    public var deliveryID: String
    public var channel: NotificationSend.Channel
    public var recipient: String
    public var clientID: String?
    public var template: String
    public var category: NotificationSend.Category
    public var attempts: Int
    public var reason: String?
    public var at: Date

    public init(storeID: String, deliveryID: String, channel: NotificationSend.Channel, recipient: String, clientID: String?,
                template: String, category: NotificationSend.Category, attempts: Int, reason: String?, at: Date) {
        self.storeID = storeID
        self.deliveryID = deliveryID
        self.channel = channel
        self.recipient = recipient
        self.clientID = clientID
        self.template = template
        self.category = category
        self.attempts = attempts
        self.reason = reason
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", deliveryID = "delivery_id", channel, recipient, clientID = "client_id", template, category
        case attempts, reason, at
    }
}
