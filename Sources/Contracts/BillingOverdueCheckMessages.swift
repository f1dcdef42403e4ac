import Foundation

/// `billing.overdue.check` (schemas/billing.overdue.check.schema.json): blocks the store's accounts whose unpaid payments passed their block-after deadline (sent by the service's own timer, or by an operator). Answered with billing.overdue.check.result.
public struct BillingOverdueCheck: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) {
        self.storeID = storeID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id"
    }
}

/// `billing.overdue.check.result` (schemas/billing.overdue.check.result.schema.json): how many accounts were checked and how many of them it blocked.
public struct BillingOverdueCheckResult: Codable, Sendable, Equatable {
    public var checked: Int64
    public var blocked: Int64

    public init(checked: Int64, blocked: Int64) {
        self.checked = checked
        self.blocked = blocked
    }

    enum CodingKeys: String, CodingKey {
        case checked, blocked
    }
}
