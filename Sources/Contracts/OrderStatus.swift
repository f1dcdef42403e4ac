/// Where an order is in the shop's workflow (`status` in schemas/order.status_changed.schema.json).
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case new
    case processing
    case paid
    case shipped
    case delivered
    case completed
    case canceled
    case returned
    case refused
}
