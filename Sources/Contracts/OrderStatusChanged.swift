import Foundation

/// `order.status_changed`: a shop reports that an order moved to a new status
/// (schemas/order.status_changed.schema.json).
public struct OrderStatusChanged: Codable, Sendable, Equatable {
    public var storeID: String
    public var orderID: String
    public var status: OrderStatus
    public var changedAt: Date

    public init(storeID: String, orderID: String, status: OrderStatus, changedAt: Date) {
        self.storeID = storeID
        self.orderID = orderID
        self.status = status
        self.changedAt = changedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id"
        case orderID = "order_id"
        case status
        case changedAt = "changed_at"
    }
}
