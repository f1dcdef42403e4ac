import Foundation

/// `billing.payment.create` (schemas/billing.payment.create.schema.json): a payment for chosen expenses (unpaid until credited); `amount` defaults to what they still owe. Answered with billing.payment.
public struct BillingPaymentCreate: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var paymentID: String?
    public var expenseIDs: [String]?
    public var amount: Money?
    public var method: String?
    public var description: String?

    public init(storeID: String, accountID: String, paymentID: String? = nil, expenseIDs: [String]? = nil, amount: Money? = nil, method: String? = nil, description: String? = nil) {
        self.storeID = storeID
        self.accountID = accountID
        self.paymentID = paymentID
        self.expenseIDs = expenseIDs
        self.amount = amount
        self.method = method
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", paymentID = "payment_id", expenseIDs = "expense_ids"
        case amount, method, description
    }
}

/// `billing.payment.update` (schemas/billing.payment.update.schema.json): changes an unpaid payment. Answered with billing.payment.
public struct BillingPaymentUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var paymentID: String
    public var expenseIDs: [String]?
    public var amount: Money?
    public var method: String?
    public var description: String?

    public init(storeID: String, paymentID: String, expenseIDs: [String]? = nil, amount: Money? = nil, method: String? = nil, description: String? = nil) {
        self.storeID = storeID
        self.paymentID = paymentID
        self.expenseIDs = expenseIDs
        self.amount = amount
        self.method = method
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", paymentID = "payment_id", expenseIDs = "expense_ids", amount, method, description
    }
}

/// `billing.payment.delete` (schemas/billing.payment.delete.schema.json): deletes a payment while unpaid. Answered with billing.payment.
public struct BillingPaymentRef: Codable, Sendable, Equatable {
    public var storeID: String
    public var paymentID: String

    public init(storeID: String, paymentID: String) {
        self.storeID = storeID
        self.paymentID = paymentID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", paymentID = "payment_id"
    }
}

/// `billing.payment` (schemas/billing.payment.schema.json): a payment: `unpaid` until credited, `paid` once in the ledger, `deleted` (while unpaid) or `reversed` (a returned order); `allocated` + `unallocated` = amount.
public struct BillingPayment: Codable, Sendable, Equatable {
    public var storeID: String
    public var paymentID: String
    public var accountID: String
    public var amount: Money
    public var state: String
    public var method: String?
    public var description: String?
    public var orderID: String?
    public var expenseIDs: [String]
    public var dueAt: Date?
    public var blockAt: Date?
    public var allocated: Int64
    public var unallocated: Int64
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    public var paidAt: Date?

    public init(storeID: String, paymentID: String, accountID: String, amount: Money, state: String, method: String? = nil, description: String? = nil, orderID: String? = nil, expenseIDs: [String], dueAt: Date? = nil, blockAt: Date? = nil, allocated: Int64, unallocated: Int64, createdAt: Date, createdBy: String, updatedAt: Date, paidAt: Date? = nil) {
        self.storeID = storeID
        self.paymentID = paymentID
        self.accountID = accountID
        self.amount = amount
        self.state = state
        self.method = method
        self.description = description
        self.orderID = orderID
        self.expenseIDs = expenseIDs
        self.dueAt = dueAt
        self.blockAt = blockAt
        self.allocated = allocated
        self.unallocated = unallocated
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.paidAt = paidAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", paymentID = "payment_id", accountID = "account_id", amount, state, method
        case description, orderID = "order_id", expenseIDs = "expense_ids", dueAt = "due_at", blockAt = "block_at"
        case allocated, unallocated, createdAt = "created_at", createdBy = "created_by", updatedAt = "updated_at"
        case paidAt = "paid_at"
    }
}

/// `billing.payment.allocation.result` (schemas/billing.payment.allocation.result.schema.json): a payment's shares of expenses; `allocated` + `unallocated` = `amount`.
public struct BillingAllocationResult: Codable, Sendable, Equatable {
    public var paymentID: String
    public var amount: Money
    public var allocated: Int64
    public var unallocated: Int64
    public var lines: [BillingAllocationLine]

    public init(paymentID: String, amount: Money, allocated: Int64, unallocated: Int64, lines: [BillingAllocationLine]) {
        self.paymentID = paymentID
        self.amount = amount
        self.allocated = allocated
        self.unallocated = unallocated
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id", amount, allocated, unallocated, lines
    }
}

/// One element of a `BillingAllocationLine` list (an array of objects in the schemas above).
public struct BillingAllocationLine: Codable, Sendable, Equatable {
    public var expenseID: String
    public var amount: Int64

    public init(expenseID: String, amount: Int64) {
        self.expenseID = expenseID
        self.amount = amount
    }

    enum CodingKeys: String, CodingKey {
        case expenseID = "expense_id", amount
    }
}
