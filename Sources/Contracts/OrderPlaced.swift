import Foundation

/// `order.placed`: a shop reports a new order (schemas/order.placed.schema.json).
public struct OrderPlaced: Codable, Sendable, Equatable {
    public var storeID: String
    public var orderID: String
    public var placedAt: Date
    public var customer: OrderCustomer
    public var total: Money
    public var paymentMethod: PaymentMethod
    /// Optional: not every shop sends its order lines.
    public var items: [OrderItem]?

    public init(storeID: String, orderID: String, placedAt: Date, customer: OrderCustomer, total: Money,
                paymentMethod: PaymentMethod, items: [OrderItem]? = nil) {
        self.storeID = storeID
        self.orderID = orderID
        self.placedAt = placedAt
        self.customer = customer
        self.total = total
        self.paymentMethod = paymentMethod
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id"
        case orderID = "order_id"
        case placedAt = "placed_at"
        case customer, total
        case paymentMethod = "payment_method"
        case items
    }
}
