import Foundation

/// A client's personal discount (schemas/billing.discount.schema.json): a percent, or a fixed
/// amount in one currency, over a period, for some product types (none listed: all). It takes
/// precedence over any promotion.
public struct BillingDiscount: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case percent, amount }

    public var discountID: String
    public var storeID: String
    public var clientID: String
    public var providerID: String?
    public var kind: Kind
    /// A decimal string, e.g. "12.5" (kind percent).
    public var percent: String?
    /// Minor units off (kind amount).
    public var amount: Money?
    public var productTypes: [String]
    public var startsAt: Date
    /// The first moment it no longer applies; none: open-ended.
    public var endsAt: Date?
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(discountID: String, storeID: String, clientID: String, providerID: String?, kind: Kind, percent: String?,
                amount: Money?, productTypes: [String], startsAt: Date, endsAt: Date?, description: String?,
                createdAt: Date, updatedAt: Date) {
        self.discountID = discountID
        self.storeID = storeID
        self.clientID = clientID
        self.providerID = providerID
        self.kind = kind
        self.percent = percent
        self.amount = amount
        self.productTypes = productTypes
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case discountID = "discount_id", storeID = "store_id", clientID = "client_id", providerID = "provider_id", kind, percent
        case amount, productTypes = "product_types", startsAt = "starts_at", endsAt = "ends_at", description
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `billing.discount.add` and `billing.discount.update` (which names `discount_id` and replaces
/// the terms whole).
public struct BillingDiscountEdit: Codable, Sendable, Equatable {
    public var storeID: String
    public var discountID: String?
    public var clientID: String
    public var providerID: String?
    public var kind: BillingDiscount.Kind
    public var percent: String?
    public var amount: Money?
    public var productTypes: [String]?
    public var startsAt: Date
    public var endsAt: Date?
    public var description: String?

    public init(storeID: String, discountID: String? = nil, clientID: String, providerID: String? = nil,
                kind: BillingDiscount.Kind, percent: String? = nil, amount: Money? = nil, productTypes: [String]? = nil,
                startsAt: Date, endsAt: Date? = nil, description: String? = nil) {
        self.storeID = storeID
        self.discountID = discountID
        self.clientID = clientID
        self.providerID = providerID
        self.kind = kind
        self.percent = percent
        self.amount = amount
        self.productTypes = productTypes
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", discountID = "discount_id", clientID = "client_id", providerID = "provider_id", kind, percent
        case amount, productTypes = "product_types", startsAt = "starts_at", endsAt = "ends_at", description
    }
}

/// `billing.discount.remove`: answered with the discount as it was.
public struct BillingDiscountRemove: Codable, Sendable, Equatable {
    public var storeID: String
    public var discountID: String

    public init(storeID: String, discountID: String) {
        self.storeID = storeID
        self.discountID = discountID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", discountID = "discount_id" }
}

/// The answer to `billing.discount.list` (a `BillingTermsList`).
public struct BillingDiscountListResult: Codable, Sendable, Equatable {
    public var discounts: [BillingDiscount]

    public init(discounts: [BillingDiscount]) { self.discounts = discounts }
}

/// `billing.discount.list`, `billing.rate.list`, `billing.tax_rule.list`: one client's terms.
public struct BillingTermsList: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String

    public init(storeID: String, clientID: String) {
        self.storeID = storeID
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id" }
}
