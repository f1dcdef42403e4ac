import Foundation

/// `notification.webhook.add` (schemas/notification.webhook.add.schema.json): an endpoint of a
/// store that receives the listed event types as signed POSTs.
public struct NotificationWebhookAdd: Codable, Sendable, Equatable {
    public var storeID: String
    public var url: String
    public var eventTypes: [String]
    public var description: String?

    public init(storeID: String, url: String, eventTypes: [String], description: String? = nil) {
        self.storeID = storeID
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", url, eventTypes = "event_types", description }
}

/// The answer to `notification.webhook.add` (schemas/notification.webhook.add.result.schema.json):
/// the only message that ever carries the signing secret.
public struct NotificationWebhookAdded: Codable, Sendable, Equatable {
    public var webhook: NotificationWebhook
    public var secret: String

    public init(webhook: NotificationWebhook, secret: String) {
        self.webhook = webhook
        self.secret = secret
    }
}
