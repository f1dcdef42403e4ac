import Foundation

/// `notification.webhook.remove` (schemas/notification.webhook.remove.schema.json).
public struct NotificationWebhookRemove: Codable, Sendable, Equatable {
    public var storeID: String
    public var webhookID: String

    public init(storeID: String, webhookID: String) {
        self.storeID = storeID
        self.webhookID = webhookID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", webhookID = "webhook_id" }
}

/// The answer to `notification.webhook.remove` (schemas/notification.webhook.remove.result.schema.json).
public struct NotificationWebhookRemoved: Codable, Sendable, Equatable {
    public var webhookID: String
    public var removed: Bool

    public init(webhookID: String, removed: Bool = true) {
        self.webhookID = webhookID
        self.removed = removed
    }

    enum CodingKeys: String, CodingKey { case webhookID = "webhook_id", removed }
}
