import Foundation

/// `billing.account.blocked` and `billing.account.unblocked` (schemas/billing.account.blocked.schema.json,
/// billing.account.unblocked.schema.json): an account's services were suspended or resumed.
/// The reasons differ per event (`credit_limit`/`overdue`; `paid_up`/`limit_raised`/`deferment_changed`).
public struct BillingAccountBlocking: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var accountID: String
    public var providerID: String
    public var reason: String
    /// The ledger's sum when the state changed; negative when the client owes.
    public var balance: Money
    /// Services suspended or resumed; 0 when the account has none (it still blocks).
    public var servicesChanged: Int
    public var at: Date

    public init(storeID: String, clientID: String, accountID: String, providerID: String, reason: String,
                balance: Money, servicesChanged: Int, at: Date) {
        self.storeID = storeID
        self.clientID = clientID
        self.accountID = accountID
        self.providerID = providerID
        self.reason = reason
        self.balance = balance
        self.servicesChanged = servicesChanged
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", accountID = "account_id", providerID = "provider_id"
        case reason, balance, servicesChanged = "services_changed", at
    }
}
