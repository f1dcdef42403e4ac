/// `reliability.get`: the rating block of a client, by `client_id` or by the store's order
/// (schemas/reliability.get.schema.json). Answered with a `ReliabilityRating`.
public struct ReliabilityGet: Codable, Sendable, Equatable {
    public var clientID: String?
    /// Always given: a client of another store is `not_found`.
    public var storeID: String
    public var orderID: String?

    public init(storeID: String, clientID: String? = nil, orderID: String? = nil) {
        self.clientID = clientID
        self.storeID = storeID
        self.orderID = orderID
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case storeID = "store_id"
        case orderID = "order_id"
    }
}
