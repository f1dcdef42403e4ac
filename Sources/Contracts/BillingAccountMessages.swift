import Foundation

/// `billing.account.open` (schemas/billing.account.open.schema.json): opens a client's personal account with a provider the client's card is connected to (one active per client and provider). `credit_limit` in minor units (how far below zero the balance may go; `postpay` has no limit); deferment `days` gives a payment `deferment_days` to be paid and blocks services `block_after_days` after its creation. `account_id` may be chosen by the sender. Answered with billing.account.
public struct BillingAccountOpen: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var providerID: String
    public var accountID: String?
    public var currency: String?
    public var postpay: Bool?
    public var creditLimit: Int64?
    public var deferment: String?
    public var defermentDays: Int?
    public var blockAfterDays: Int?
    public var referrerID: String?
    public var active: Bool?

    public init(storeID: String, clientID: String, providerID: String, accountID: String? = nil, currency: String? = nil, postpay: Bool? = nil, creditLimit: Int64? = nil, deferment: String? = nil, defermentDays: Int? = nil, blockAfterDays: Int? = nil, referrerID: String? = nil, active: Bool? = nil) {
        self.storeID = storeID
        self.clientID = clientID
        self.providerID = providerID
        self.accountID = accountID
        self.currency = currency
        self.postpay = postpay
        self.creditLimit = creditLimit
        self.deferment = deferment
        self.defermentDays = defermentDays
        self.blockAfterDays = blockAfterDays
        self.referrerID = referrerID
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", providerID = "provider_id", accountID = "account_id"
        case currency, postpay, creditLimit = "credit_limit", deferment, defermentDays = "deferment_days"
        case blockAfterDays = "block_after_days", referrerID = "referrer_id", active
    }
}

/// `billing.account.update` (schemas/billing.account.update.schema.json): changes an account; fields left out keep their value; each change is recorded with who and when. Answered with billing.account.
public struct BillingAccountUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var postpay: Bool?
    public var creditLimit: Int64?
    public var deferment: String?
    public var defermentDays: Int?
    public var blockAfterDays: Int?
    public var referrerID: String?
    public var active: Bool?

    public init(storeID: String, accountID: String, postpay: Bool? = nil, creditLimit: Int64? = nil, deferment: String? = nil, defermentDays: Int? = nil, blockAfterDays: Int? = nil, referrerID: String? = nil, active: Bool? = nil) {
        self.storeID = storeID
        self.accountID = accountID
        self.postpay = postpay
        self.creditLimit = creditLimit
        self.deferment = deferment
        self.defermentDays = defermentDays
        self.blockAfterDays = blockAfterDays
        self.referrerID = referrerID
        self.active = active
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", postpay, creditLimit = "credit_limit", deferment
        case defermentDays = "deferment_days", blockAfterDays = "block_after_days", referrerID = "referrer_id", active
    }
}

/// `billing.account.get` (schemas/billing.account.get.schema.json): an account with its balance (the ledger's sum), credit left, overdue amount and blocking state. Answered with billing.account.
public struct BillingAccountRef: Codable, Sendable, Equatable {
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

/// `billing.account.list` (schemas/billing.account.list.schema.json): a client's accounts, each with its yearly turnover. Answered with billing.account.list.result.
public struct BillingAccountList: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String

    public init(storeID: String, clientID: String) {
        self.storeID = storeID
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id"
    }
}
