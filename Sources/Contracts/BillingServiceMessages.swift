import Foundation

/// `billing.service.add` (schemas/billing.service.add.schema.json): a service of the client with the account's provider (price per period, in the account's currency). Answered with billing.service.
public struct BillingServiceAdd: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var serviceID: String?
    public var name: String
    public var tariff: String?
    public var price: Money
    public var period: String?

    public init(storeID: String, accountID: String, serviceID: String? = nil, name: String, tariff: String? = nil, price: Money, period: String? = nil) {
        self.storeID = storeID
        self.accountID = accountID
        self.serviceID = serviceID
        self.name = name
        self.tariff = tariff
        self.price = price
        self.period = period
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", serviceID = "service_id", name, tariff, price, period
    }
}

/// `billing.service.update` (schemas/billing.service.update.schema.json): changes a service; fields left out keep their value. Answered with billing.service.
public struct BillingServiceUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var serviceID: String
    public var name: String?
    public var tariff: String?
    public var price: Money?
    public var period: String?
    public var state: String?

    public init(storeID: String, serviceID: String, name: String? = nil, tariff: String? = nil, price: Money? = nil, period: String? = nil, state: String? = nil) {
        self.storeID = storeID
        self.serviceID = serviceID
        self.name = name
        self.tariff = tariff
        self.price = price
        self.period = period
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", serviceID = "service_id", name, tariff, price, period, state
    }
}

/// `billing.service.list` (schemas/billing.service.list.schema.json): an account's services. Answered with billing.service.list.result.
public struct BillingServiceList: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String

    public init(storeID: String, accountID: String) {
        self.storeID = storeID
        self.accountID = accountID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id"
    }
}

/// `billing.service` (schemas/billing.service.schema.json): a service; `suspended_by_block`: suspended because its account is blocked (resumed when it is unblocked).
public struct BillingServiceView: Codable, Sendable, Equatable {
    public var storeID: String
    public var serviceID: String
    public var accountID: String
    public var name: String
    public var tariff: String?
    public var price: Money
    public var period: String
    public var state: String
    public var suspendedByBlock: Bool
    public var updatedAt: Date
    public var updatedBy: String

    public init(storeID: String, serviceID: String, accountID: String, name: String, tariff: String? = nil, price: Money, period: String, state: String, suspendedByBlock: Bool, updatedAt: Date, updatedBy: String) {
        self.storeID = storeID
        self.serviceID = serviceID
        self.accountID = accountID
        self.name = name
        self.tariff = tariff
        self.price = price
        self.period = period
        self.state = state
        self.suspendedByBlock = suspendedByBlock
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", serviceID = "service_id", accountID = "account_id", name, tariff, price, period
        case state, suspendedByBlock = "suspended_by_block", updatedAt = "updated_at", updatedBy = "updated_by"
    }
}

/// `billing.service.list.result` (schemas/billing.service.list.result.schema.json): the account's services.
public struct BillingServiceListResult: Codable, Sendable, Equatable {
    public var services: [BillingServiceView]

    public init(services: [BillingServiceView]) {
        self.services = services
    }

    enum CodingKeys: String, CodingKey {
        case services
    }
}
