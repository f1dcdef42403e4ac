import Foundation

/// The input of effect `notification.webhook`: one event to one endpoint. Neither the body nor the
/// secret is in it: the performer reads the delivery row and opens the endpoint's sealed secret
/// when it calls, so a removed endpoint is not called.
public struct NotificationWebhookCall: Codable, Sendable, Equatable {
    public var storeID: String
    public var webhookID: String
    public var deliveryID: String
    public var eventID: String
    public var eventType: String

    public init(storeID: String, webhookID: String, deliveryID: String, eventID: String, eventType: String) {
        self.storeID = storeID
        self.webhookID = webhookID
        self.deliveryID = deliveryID
        self.eventID = eventID
        self.eventType = eventType
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", webhookID = "webhook_id", deliveryID = "delivery_id", eventID = "event_id"
        case eventType = "event_type"
    }
}

/// What the receiver answered: its HTTP status (2xx, or a 4xx other than 429 — a final refusal).
public struct NotificationWebhookResponse: Codable, Sendable, Equatable {
    public var httpStatus: Int

    public init(httpStatus: Int) { self.httpStatus = httpStatus }

    enum CodingKeys: String, CodingKey { case httpStatus = "http_status" }
}

/// `notification.webhook.completed` (schemas/notification.webhook.completed.schema.json).
public typealias NotificationWebhookCompleted = EffectCompleted<NotificationWebhookCall, NotificationWebhookResponse>
