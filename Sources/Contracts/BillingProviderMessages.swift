import Foundation

/// `billing.provider.upsert` (schemas/billing.provider.upsert.schema.json): creates or replaces a provider of the store. A new currency makes the accounts in the old one unavailable (they keep their history). `default`: shop orders are billed with it. Answered with billing.provider.
public struct BillingProviderUpsert: Codable, Sendable, Equatable {
    public var storeID: String
    public var providerID: String
    public var name: String
    public var currency: String
    public var freeRequests: Int64?
    public var requestPeriod: String?
    public var extraRequestPrice: Int64?
    public var loginAtRegistration: Bool?
    public var isDefault: Bool?

    public init(storeID: String, providerID: String, name: String, currency: String, freeRequests: Int64? = nil, requestPeriod: String? = nil, extraRequestPrice: Int64? = nil, loginAtRegistration: Bool? = nil, isDefault: Bool? = nil) {
        self.storeID = storeID
        self.providerID = providerID
        self.name = name
        self.currency = currency
        self.freeRequests = freeRequests
        self.requestPeriod = requestPeriod
        self.extraRequestPrice = extraRequestPrice
        self.loginAtRegistration = loginAtRegistration
        self.isDefault = isDefault
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", providerID = "provider_id", name, currency, freeRequests = "free_requests"
        case requestPeriod = "request_period", extraRequestPrice = "extra_request_price"
        case loginAtRegistration = "login_at_registration", isDefault = "default"
    }
}

/// `billing.provider.get` (schemas/billing.provider.get.schema.json): one provider of the store. Answered with billing.provider.
public struct BillingProviderRef: Codable, Sendable, Equatable {
    public var storeID: String
    public var providerID: String

    public init(storeID: String, providerID: String) {
        self.storeID = storeID
        self.providerID = providerID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", providerID = "provider_id"
    }
}

/// `billing.provider.list` (schemas/billing.provider.list.schema.json): the store's providers. Answered with billing.provider.list.result.
public struct BillingProviderList: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) {
        self.storeID = storeID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id"
    }
}

/// `billing.provider` (schemas/billing.provider.schema.json): a provider as stored; `extra_request_price` in minor units of its currency.
public struct BillingProvider: Codable, Sendable, Equatable {
    public var storeID: String
    public var providerID: String
    public var name: String
    public var currency: String
    public var freeRequests: Int64
    public var requestPeriod: String
    public var extraRequestPrice: Int64
    public var loginAtRegistration: Bool
    public var isDefault: Bool
    public var updatedAt: Date
    public var updatedBy: String

    public init(storeID: String, providerID: String, name: String, currency: String, freeRequests: Int64, requestPeriod: String, extraRequestPrice: Int64, loginAtRegistration: Bool, isDefault: Bool, updatedAt: Date, updatedBy: String) {
        self.storeID = storeID
        self.providerID = providerID
        self.name = name
        self.currency = currency
        self.freeRequests = freeRequests
        self.requestPeriod = requestPeriod
        self.extraRequestPrice = extraRequestPrice
        self.loginAtRegistration = loginAtRegistration
        self.isDefault = isDefault
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", providerID = "provider_id", name, currency, freeRequests = "free_requests"
        case requestPeriod = "request_period", extraRequestPrice = "extra_request_price"
        case loginAtRegistration = "login_at_registration", isDefault = "default", updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }
}

/// `billing.provider.list.result` (schemas/billing.provider.list.result.schema.json): the store's providers by id.
public struct BillingProviderListResult: Codable, Sendable, Equatable {
    public var providers: [BillingProvider]

    public init(providers: [BillingProvider]) {
        self.providers = providers
    }

    enum CodingKeys: String, CodingKey {
        case providers
    }
}
