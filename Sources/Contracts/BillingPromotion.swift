import Foundation

/// A promotion an expense comes under (schemas/billing.promotion.schema.json), named by whoever
/// records the expense: a percent, or a fixed amount in one currency. A client's personal
/// discount takes precedence over it.
public struct BillingPromotion: Codable, Sendable, Equatable {
    public var promotionID: String
    public var kind: BillingDiscount.Kind
    /// A decimal string, e.g. "10" (kind percent).
    public var percent: String?
    /// Minor units off (kind amount).
    public var amount: Money?

    public init(promotionID: String, kind: BillingDiscount.Kind, percent: String? = nil, amount: Money? = nil) {
        self.promotionID = promotionID
        self.kind = kind
        self.percent = percent
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case promotionID = "promotion_id", kind, percent, amount
    }
}
