/// How the buyer pays for an order (`payment_method` in schemas/order.placed.schema.json).
public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case prepaid
    case card
    case cashOnDelivery = "cash_on_delivery"
    case bankTransfer = "bank_transfer"
    case other
}
