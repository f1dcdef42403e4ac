import Foundation

/// A client's personal currency rate (schemas/billing.rate.schema.json): `quantity` units of
/// `base_currency` cost `rate` units of `converted_currency`, from `effective_from` until the
/// next rate of the same pair takes effect.
public struct BillingRate: Codable, Sendable, Equatable {
    public var rateID: String
    public var storeID: String
    public var clientID: String
    public var baseCurrency: String
    public var convertedCurrency: String
    /// A decimal string, e.g. "92.3512".
    public var rate: String
    public var quantity: Int
    public var effectiveFrom: Date
    public var createdAt: Date
    public var updatedAt: Date

    public init(rateID: String, storeID: String, clientID: String, baseCurrency: String, convertedCurrency: String,
                rate: String, quantity: Int, effectiveFrom: Date, createdAt: Date, updatedAt: Date) {
        self.rateID = rateID
        self.storeID = storeID
        self.clientID = clientID
        self.baseCurrency = baseCurrency
        self.convertedCurrency = convertedCurrency
        self.rate = rate
        self.quantity = quantity
        self.effectiveFrom = effectiveFrom
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case rateID = "rate_id", storeID = "store_id", clientID = "client_id", baseCurrency = "base_currency"
        case convertedCurrency = "converted_currency", rate, quantity, effectiveFrom = "effective_from"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `billing.rate.add` and `billing.rate.update` (which names `rate_id` and replaces it whole).
public struct BillingRateEdit: Codable, Sendable, Equatable {
    public var storeID: String
    public var rateID: String?
    public var clientID: String
    public var baseCurrency: String
    public var convertedCurrency: String
    public var rate: String
    public var quantity: Int?
    public var effectiveFrom: Date

    public init(storeID: String, rateID: String? = nil, clientID: String, baseCurrency: String, convertedCurrency: String,
                rate: String, quantity: Int? = nil, effectiveFrom: Date) {
        self.storeID = storeID
        self.rateID = rateID
        self.clientID = clientID
        self.baseCurrency = baseCurrency
        self.convertedCurrency = convertedCurrency
        self.rate = rate
        self.quantity = quantity
        self.effectiveFrom = effectiveFrom
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", rateID = "rate_id", clientID = "client_id", baseCurrency = "base_currency"
        case convertedCurrency = "converted_currency", rate, quantity, effectiveFrom = "effective_from"
    }
}

/// `billing.rate.remove`: answered with the rate as it was.
public struct BillingRateRemove: Codable, Sendable, Equatable {
    public var storeID: String
    public var rateID: String

    public init(storeID: String, rateID: String) {
        self.storeID = storeID
        self.rateID = rateID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", rateID = "rate_id" }
}

/// The answer to `billing.rate.list`.
public struct BillingRateListResult: Codable, Sendable, Equatable {
    public var rates: [BillingRate]

    public init(rates: [BillingRate]) { self.rates = rates }
}
