import Foundation

/// `billing.withdrawal.create` (schemas/billing.withdrawal.create.schema.json): a balance correction that takes money off the account: a referrer's payout, a refund, a correction. Answered with billing.withdrawal.
public struct BillingWithdrawalCreate: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var withdrawalID: String?
    public var amount: Money
    public var reason: String
    public var description: String?

    public init(storeID: String, accountID: String, withdrawalID: String? = nil, amount: Money, reason: String, description: String? = nil) {
        self.storeID = storeID
        self.accountID = accountID
        self.withdrawalID = withdrawalID
        self.amount = amount
        self.reason = reason
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", withdrawalID = "withdrawal_id", amount, reason
        case description
    }
}

/// `billing.withdrawal` (schemas/billing.withdrawal.schema.json): the withdrawal as recorded, with the balance after it.
public struct BillingWithdrawal: Codable, Sendable, Equatable {
    public var storeID: String
    public var withdrawalID: String
    public var accountID: String
    public var amount: Money
    public var reason: String
    public var description: String?
    public var balance: Money
    public var at: Date

    public init(storeID: String, withdrawalID: String, accountID: String, amount: Money, reason: String, description: String? = nil, balance: Money, at: Date) {
        self.storeID = storeID
        self.withdrawalID = withdrawalID
        self.accountID = accountID
        self.amount = amount
        self.reason = reason
        self.description = description
        self.balance = balance
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", withdrawalID = "withdrawal_id", accountID = "account_id", amount, reason
        case description, balance, at
    }
}
