import Foundation

/// `billing.account` (schemas/billing.account.schema.json): an account: `balance` is the ledger's sum (negative: the client owes); `credit_left` is absent for postpay; `turnover_year` sums the expenses of the last 365 days; `joined_into` names the survivor's account its ledger was joined into by a merge.
public struct BillingAccount: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var clientID: String
    public var providerID: String
    public var currency: String
    public var postpay: Bool
    public var creditLimit: Int64
    public var deferment: String
    public var defermentDays: Int
    public var blockAfterDays: Int?
    public var referrerID: String?
    public var active: Bool
    public var available: Bool
    public var joinedInto: String?
    public var balance: Money
    public var creditLeft: Money?
    public var overdue: Money
    public var turnoverYear: Money
    public var blocked: Bool
    public var blockedReason: String?
    public var blockedAt: Date?
    public var servicesActive: Int
    public var servicesSuspended: Int
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date

    public init(storeID: String, accountID: String, clientID: String, providerID: String, currency: String, postpay: Bool, creditLimit: Int64, deferment: String, defermentDays: Int, blockAfterDays: Int? = nil, referrerID: String? = nil, active: Bool, available: Bool, joinedInto: String? = nil, balance: Money, creditLeft: Money? = nil, overdue: Money, turnoverYear: Money, blocked: Bool, blockedReason: String? = nil, blockedAt: Date? = nil, servicesActive: Int, servicesSuspended: Int, createdAt: Date, createdBy: String, updatedAt: Date) {
        self.storeID = storeID
        self.accountID = accountID
        self.clientID = clientID
        self.providerID = providerID
        self.currency = currency
        self.postpay = postpay
        self.creditLimit = creditLimit
        self.deferment = deferment
        self.defermentDays = defermentDays
        self.blockAfterDays = blockAfterDays
        self.referrerID = referrerID
        self.active = active
        self.available = available
        self.joinedInto = joinedInto
        self.balance = balance
        self.creditLeft = creditLeft
        self.overdue = overdue
        self.turnoverYear = turnoverYear
        self.blocked = blocked
        self.blockedReason = blockedReason
        self.blockedAt = blockedAt
        self.servicesActive = servicesActive
        self.servicesSuspended = servicesSuspended
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", clientID = "client_id", providerID = "provider_id"
        case currency, postpay, creditLimit = "credit_limit", deferment, defermentDays = "deferment_days"
        case blockAfterDays = "block_after_days", referrerID = "referrer_id", active, available
        case joinedInto = "joined_into", balance, creditLeft = "credit_left", overdue, turnoverYear = "turnover_year"
        case blocked, blockedReason = "blocked_reason", blockedAt = "blocked_at", servicesActive = "services_active"
        case servicesSuspended = "services_suspended", createdAt = "created_at", createdBy = "created_by"
        case updatedAt = "updated_at"
    }
}

/// `billing.account.list.result` (schemas/billing.account.list.result.schema.json): the client's accounts.
public struct BillingAccountListResult: Codable, Sendable, Equatable {
    public var accounts: [BillingAccount]

    public init(accounts: [BillingAccount]) {
        self.accounts = accounts
    }

    enum CodingKeys: String, CodingKey {
        case accounts
    }
}
