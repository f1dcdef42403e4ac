import Contracts
import Foundation
import SQLStore

/// What an expense costs the account: the one place an expense is priced, by billing-terms'
/// `ExpensePricing.price` (the personal rate in force on the date for another currency, the
/// personal discount or else the expense's promotion, the client's tax rule with the account's provider). An amount in another
/// currency with no personal rate in force is refused naming the currency: two currencies are
/// never added.
struct ExpenseCharge: Sendable, Equatable {
    var original: Money
    var converted: Money
    var discount: Int64
    var tax: Int64
    var total: Money
    var discountID: String?
    var promotionID: String?
    var rateID: String?
    var taxRuleID: String?

    static func charge(_ db: SQLDatabase, account: Account, amount: Money, productType: String?, date: Date,
                       promotion: BillingPromotion? = nil) throws -> ExpenseCharge {
        guard amount.amount >= 0 else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount.amount", problem: "below_minimum")],
                                             message: "an expense is not negative: a refund is a withdrawal or a deletion")
        }
        let priced = try ExpensePricing.price(db, storeID: account.storeID, clientID: account.clientID, providerID: account.providerID,
                                              accountCurrency: account.currency, amount: amount, productType: productType, date: date,
                                              promotion: promotion)
        return ExpenseCharge(original: priced.original, converted: priced.converted, discount: priced.discount, tax: priced.tax,
                             total: priced.total, discountID: priced.discountID, promotionID: priced.promotionID,
                             rateID: priced.rateID, taxRuleID: priced.taxRuleID)
    }
}
