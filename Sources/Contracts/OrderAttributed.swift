import Foundation

/// `order.attributed`: client-service tells which client placed an order
/// (schemas/order.attributed.schema.json). reliability-service and billing-service build on it.
public struct OrderAttributed: Codable, Sendable, Equatable {
    public enum MatchedBy: String, Codable, Sendable {
        case externalID = "external_id"
        case phone
        case email
        case newGuest = "new_guest"
    }

    public var storeID: String
    public var orderID: String
    public var clientID: String
    public var placedAt: Date
    public var total: Money
    public var paymentMethod: PaymentMethod
    public var matchedBy: MatchedBy
    /// The client's mobile phone in E.164, when known.
    public var phone: String?
    public var dedicatedOperatorID: String?

    public init(storeID: String, orderID: String, clientID: String, placedAt: Date, total: Money,
                paymentMethod: PaymentMethod, matchedBy: MatchedBy, phone: String? = nil, dedicatedOperatorID: String? = nil) {
        self.storeID = storeID
        self.orderID = orderID
        self.clientID = clientID
        self.placedAt = placedAt
        self.total = total
        self.paymentMethod = paymentMethod
        self.matchedBy = matchedBy
        self.phone = phone
        self.dedicatedOperatorID = dedicatedOperatorID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id"
        case orderID = "order_id"
        case clientID = "client_id"
        case placedAt = "placed_at"
        case total
        case paymentMethod = "payment_method"
        case matchedBy = "matched_by"
        case phone
        case dedicatedOperatorID = "dedicated_operator_id"
    }
}
