import Contracts
import Foundation
import SQLStore

/// What an expense costs the account: the one place an expense is priced. Face value until
/// billing-terms' `ExpensePricing.price` (discounts, personal rates, tax rules) is merged; then
/// `charge` calls it. Face value takes no other currency: two currencies are never added.
struct ExpenseCharge: Sendable, Equatable {
    var original: Money
    var converted: Money
    var discount: Int64
    var tax: Int64
    var total: Money
    var discountID: String?
    var rateID: String?
    var taxRuleID: String?

    static func charge(_ db: SQLDatabase, account: Account, amount: Money, productType: String?, date: Date) throws -> ExpenseCharge {
        guard amount.amount >= 0 else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount.amount", problem: "below_minimum")],
                                             message: "an expense is not negative: a refund is a withdrawal or a deletion")
        }
        guard amount.currency == account.currency else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount.currency", problem: "currency_mismatch")],
                                             message: "account \(account.accountID) is in \(account.currency) and no rate converts \(amount.currency)")
        }
        return ExpenseCharge(original: amount, converted: amount, discount: 0, tax: 0, total: amount)
    }
}
