import Foundation

/// `billing.expense.create` (schemas/billing.expense.create.schema.json): an expense on an account: the personal discount and the client's tax rule apply; another currency is converted by the personal rate in force on `date`. Answered with billing.expense.
public struct BillingExpenseCreate: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountID: String
    public var expenseID: String?
    public var amount: Money
    public var description: String?
    public var productType: String?
    public var date: Date
    /// Applies only when no personal discount does.
    public var promotion: BillingPromotion?

    public init(storeID: String, accountID: String, expenseID: String? = nil, amount: Money, description: String? = nil, productType: String? = nil, date: Date, promotion: BillingPromotion? = nil) {
        self.storeID = storeID
        self.accountID = accountID
        self.expenseID = expenseID
        self.amount = amount
        self.description = description
        self.productType = productType
        self.date = date
        self.promotion = promotion
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", accountID = "account_id", expenseID = "expense_id", amount, description
        case productType = "product_type", date, promotion
    }
}

/// `billing.expense.update` (schemas/billing.expense.update.schema.json): changes an expense; the ledger gets the difference. Answered with billing.expense.
public struct BillingExpenseUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var expenseID: String
    public var amount: Money?
    public var description: String?
    public var productType: String?
    public var date: Date?
    /// Absent: the expense keeps the promotion it has.
    public var promotion: BillingPromotion?

    public init(storeID: String, expenseID: String, amount: Money? = nil, description: String? = nil, productType: String? = nil, date: Date? = nil, promotion: BillingPromotion? = nil) {
        self.storeID = storeID
        self.expenseID = expenseID
        self.amount = amount
        self.description = description
        self.productType = productType
        self.date = date
        self.promotion = promotion
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", expenseID = "expense_id", amount, description, productType = "product_type", date, promotion
    }
}

/// `billing.expense.delete` (schemas/billing.expense.delete.schema.json): deletes an expense not paid yet; the ledger gets it back. Answered with billing.expense.
public struct BillingExpenseRef: Codable, Sendable, Equatable {
    public var storeID: String
    public var expenseID: String

    public init(storeID: String, expenseID: String) {
        self.storeID = storeID
        self.expenseID = expenseID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", expenseID = "expense_id"
    }
}

/// `billing.expense` (schemas/billing.expense.schema.json): an expense as priced: `total` is what the ledger records (negative there), `paid` how much of it payments cover.
public struct BillingExpense: Codable, Sendable, Equatable {
    public var storeID: String
    public var expenseID: String
    public var accountID: String
    public var original: Money
    public var converted: Money
    public var discount: Int64
    public var tax: Int64
    public var total: Money
    public var paid: Int64
    public var description: String?
    public var productType: String?
    public var date: Date
    public var orderID: String?
    public var deleted: Bool
    public var discountID: String?
    /// The promotion the expense was recorded under, as given.
    public var promotion: BillingPromotion?
    /// Set when that promotion took `discount` off (no personal discount applied).
    public var promotionID: String?
    public var rateID: String?
    public var taxRuleID: String?
    public var createdAt: Date
    public var createdBy: String
    public var updatedAt: Date
    public var updatedBy: String

    public init(storeID: String, expenseID: String, accountID: String, original: Money, converted: Money, discount: Int64, tax: Int64, total: Money, paid: Int64, description: String? = nil, productType: String? = nil, date: Date, orderID: String? = nil, deleted: Bool, discountID: String? = nil, promotion: BillingPromotion? = nil, promotionID: String? = nil, rateID: String? = nil, taxRuleID: String? = nil, createdAt: Date, createdBy: String, updatedAt: Date, updatedBy: String) {
        self.storeID = storeID
        self.expenseID = expenseID
        self.accountID = accountID
        self.original = original
        self.converted = converted
        self.discount = discount
        self.tax = tax
        self.total = total
        self.paid = paid
        self.description = description
        self.productType = productType
        self.date = date
        self.orderID = orderID
        self.deleted = deleted
        self.discountID = discountID
        self.promotion = promotion
        self.promotionID = promotionID
        self.rateID = rateID
        self.taxRuleID = taxRuleID
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", expenseID = "expense_id", accountID = "account_id", original, converted, discount
        case tax, total, paid, description, productType = "product_type", date, orderID = "order_id", deleted
        case discountID = "discount_id", promotion, promotionID = "promotion_id", rateID = "rate_id", taxRuleID = "tax_rule_id"
        case createdAt = "created_at"
        case createdBy = "created_by", updatedAt = "updated_at", updatedBy = "updated_by"
    }
}
