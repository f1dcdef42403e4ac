import Foundation

/// The answer to `notification.send` (schemas/notification.send.result.schema.json): the delivery
/// the send became. `pending` until the channel answers; `failed` at once when nothing may be sent
/// (the rate limit, a deleted or opted-out client), with the reason.
public struct NotificationSendResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case pending, delivered, failed }

    public var deliveryID: String
    public var status: Status
    public var reason: String?

    public init(deliveryID: String, status: Status, reason: String? = nil) {
        self.deliveryID = deliveryID
        self.status = status
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey { case deliveryID = "delivery_id", status, reason }
}
