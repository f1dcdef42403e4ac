/// One line of an order (`items[]` in schemas/order.placed.schema.json).
public struct OrderItem: Codable, Sendable, Equatable {
    public var sku: String
    public var name: String
    /// At least 1.
    public var quantity: Int
    /// The price of one unit.
    public var price: Money

    public init(sku: String, name: String, quantity: Int, price: Money) {
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.price = price
    }

    enum CodingKeys: String, CodingKey {
        case sku, name, quantity, price
    }
}
