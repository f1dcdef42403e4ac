import Foundation

/// `notification.webhook.list` (schemas/notification.webhook.list.schema.json).
public struct NotificationWebhookList: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) { self.storeID = storeID }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}

/// The answer to `notification.webhook.list` (schemas/notification.webhook.list.result.schema.json).
public struct NotificationWebhookListResult: Codable, Sendable, Equatable {
    public var webhooks: [NotificationWebhook]

    public init(webhooks: [NotificationWebhook]) { self.webhooks = webhooks }
}
