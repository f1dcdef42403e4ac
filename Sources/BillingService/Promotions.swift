import Contracts
import Foundation

/// The promotion an expense comes under (`promotion` of billing.expense.create/update): what it
/// would take off an amount, and how the expense keeps it (its JSON in `billing_expense.promotion`,
/// so that a later change prices the expense again under the same promotion). It counts only when
/// no personal discount applies (`ExpensePricing`).
enum Promotions {
    /// Minor units off `amount` (in the account's currency), capped at the whole amount. A percent
    /// rounds once, half-even; a fixed amount applies only to an amount in its own currency. A
    /// malformed promotion is refused naming its field, whether or not a personal discount wins.
    static func off(_ promotion: BillingPromotion, on amount: Money) throws -> Int64 {
        let off: Int64
        switch promotion.kind {
        case .percent:
            guard let text = promotion.percent else {
                throw TermValidation.invalid("promotion.percent", "required", "a percent promotion needs it")
            }
            guard promotion.amount == nil else {
                throw TermValidation.invalid("promotion.amount", "not_allowed", "a percent promotion has no amount")
            }
            let micro = try TermValidation.percent(text, field: "promotion.percent").micro
            off = Rounding.halfEven(amount.amount, times: micro, over: 100_000_000)
        case .amount:
            guard let fixed = promotion.amount else {
                throw TermValidation.invalid("promotion.amount", "required", "an amount promotion needs it")
            }
            guard promotion.percent == nil else {
                throw TermValidation.invalid("promotion.percent", "not_allowed", "an amount promotion has no percent")
            }
            guard fixed.amount > 0 else { throw TermValidation.invalid("promotion.amount.amount", "below_minimum", "must be above 0") }
            off = fixed.currency == amount.currency ? fixed.amount : 0
        }
        return min(max(0, off), max(0, amount.amount))
    }

    /// The column's text for a promotion (nil: none).
    static func stored(_ promotion: BillingPromotion?) throws -> String? {
        try promotion.map { String(decoding: try JSONCoding.encoder.encode($0), as: UTF8.self) }
    }

    static func promotion(_ stored: String?) throws -> BillingPromotion? {
        try stored.map { try JSONCoding.decoder.decode(BillingPromotion.self, from: Data($0.utf8)) }
    }
}
