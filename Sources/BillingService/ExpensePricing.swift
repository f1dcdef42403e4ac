import Contracts
import Foundation
import SQLStore

/// An expense as the ledger records it, with how its amount was reached.
public struct PricedExpense: Sendable, Equatable {
    /// As given.
    public var original: Money
    /// In the account's currency (the personal rate in force on the date; the same when it is).
    public var converted: Money
    /// Minor units taken off, >= 0 (the personal discount, or else the promotion).
    public var discount: Int64
    /// Minor units of tax (the client's tax rule), on the discounted amount.
    public var tax: Int64
    /// What the ledger records: converted − discount + tax.
    public var total: Money
    public var discountID: String?
    /// The promotion's id when it took `discount` off (no personal discount applied).
    public var promotionID: String?
    public var rateID: String?
    public var taxRuleID: String?

    public init(original: Money, converted: Money, discount: Int64, tax: Int64, total: Money,
                discountID: String? = nil, promotionID: String? = nil, rateID: String? = nil, taxRuleID: String? = nil) {
        self.original = original
        self.converted = converted
        self.discount = discount
        self.tax = tax
        self.total = total
        self.discountID = discountID
        self.promotionID = promotionID
        self.rateID = rateID
        self.taxRuleID = taxRuleID
    }
}

/// The client's personal terms applied to one amount, in this order: conversion into the
/// account's currency by the personal rate in force on the date, the personal discount (which
/// replaces any promotion), the tax rule on what is left. Each step rounds once, half-even
/// (`Rounding`); no two currencies are ever added.
public enum ExpensePricing {
    public static func price(_ db: SQLDatabase, storeID: String, clientID: String, providerID: String, accountCurrency: String,
                             amount: Money, productType: String?, date: Date) throws -> PricedExpense {
        try price(db, storeID: storeID, clientID: clientID, providerID: providerID, accountCurrency: accountCurrency,
                  amount: amount, productType: productType, date: date, promotion: nil)
    }

    /// `promotion`: the promotion the expense comes under (`Promotions.off` of the converted
    /// amount). A personal discount in force takes precedence: the promotion then counts for nothing.
    public static func price(_ db: SQLDatabase, storeID: String, clientID: String, providerID: String, accountCurrency: String,
                             amount: Money, productType: String?, date: Date, promotion: BillingPromotion?) throws -> PricedExpense {
        let terms = PersonalTerms(db: db, storeID: storeID, clientID: clientID)
        var converted = amount
        var rateID: String?
        if amount.currency != accountCurrency {
            guard let rate = try terms.rate(from: amount.currency, to: accountCurrency, on: date) else {
                throw ErrorBody.validationFailed(
                    [ErrorDetail(field: "amount.currency", problem: "no_rate")],
                    message: "amount.currency: client \(clientID) has no personal rate from \(amount.currency) to \(accountCurrency) in force on \(RFC3339.string(from: date))")
            }
            converted = Money(amount: rate.convert(amount.amount, from: amount.currency, to: accountCurrency), currency: accountCurrency)
            rateID = rate.rateID
        }
        var discount: Int64 = 0
        var discountID: String?
        var promotionID: String?
        let promotionOff = try promotion.map { try Promotions.off($0, on: converted) } ?? 0
        if converted.amount > 0 {
            if let personal = try terms.bestDiscount(on: converted, providerID: providerID, productType: productType, date: date) {
                discount = personal.amount
                discountID = personal.discountID
            } else if let promotion, promotionOff > 0 {
                discount = promotionOff
                promotionID = promotion.promotionID
            }
        }
        var tax: Int64 = 0
        var taxRuleID: String?
        if let rule = try terms.taxRule(providerID: providerID, productType: productType, date: date) {
            tax = Rounding.halfEven(converted.amount - discount, times: rule.percentMicro, over: 100_000_000)
            taxRuleID = rule.ruleID
        }
        return PricedExpense(original: amount, converted: converted, discount: discount, tax: tax,
                             total: Money(amount: converted.amount - discount + tax, currency: accountCurrency),
                             discountID: discountID, promotionID: promotionID, rateID: rateID, taxRuleID: taxRuleID)
    }
}
