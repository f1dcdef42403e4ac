@testable import BillingService
import Contracts
import CRMTestSupport
import Foundation
import SQLStore
import Testing

/// `ExpensePricing.price` over terms set through the commands, on both engines: conversion by the
/// rate in force on the date, the discount that takes the most off (over any promotion), the tax
/// rule of the provider, its zone and its product types; each rounded once, half-even.
@Suite struct PricingTests {
    static let day = 86_400.0
    static let nov15 = RFC3339.date(from: "2026-11-15T12:00:00Z")!

    static func price(_ h: BillingHarness, _ amount: Money, productType: String? = nil, date: Date = nov15,
                      currency: String = "RUB", provider: String = "p1", promotion: BillingPromotion? = nil) throws -> PricedExpense {
        try h.storage.write { db in
            try ExpensePricing.price(db, storeID: "s1", clientID: "c1", providerID: provider, accountCurrency: currency,
                                     amount: amount, productType: productType, date: date, promotion: promotion)
        }
    }

    @Test(arguments: TestEngine.all) func withoutTermsTheAmountIsTheTotal(engine: TestEngine) throws {
        let h = try BillingHarness(engine: engine)
        let priced = try Self.price(h, Money(amount: 12_345, currency: "RUB"))
        #expect(priced == PricedExpense(original: Money(amount: 12_345, currency: "RUB"), converted: Money(amount: 12_345, currency: "RUB"),
                                        discount: 0, tax: 0, total: Money(amount: 12_345, currency: "RUB")))
        // A promotion applies when no personal discount does.
        let promoted = try Self.price(h, Money(amount: 10_000, currency: "RUB"), promotion: .off(1_500))
        #expect(promoted.total.amount == 8_500 && promoted.promotionID == "promo" && promoted.discountID == nil)
    }

    @Test(arguments: TestEngine.all) func theRateInForceOnTheDateConverts(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let usd = Money(amount: 1_050, currency: "USD")  // $10.50
        // None yet: refused naming the currency.
        let missing = #expect(throws: ErrorBody.self) { try Self.price(h, usd) }
        #expect(missing?.code == .validationFailed && missing?.message.contains("USD") == true)
        #expect(missing?.details.first?.field == "amount.currency")

        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                             rate: "90", effectiveFrom: Self.nov15.addingTimeInterval(-10 * Self.day)), as: BillingRate.self)
        let later = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                                     rate: "92.3512", effectiveFrom: Self.nov15.addingTimeInterval(-Self.day)), as: BillingRate.self)
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                             rate: "100", effectiveFrom: Self.nov15.addingTimeInterval(Self.day)), as: BillingRate.self)
        // 1050 cents × 92.3512 = 96968.76 kopecks → 96969.
        let priced = try Self.price(h, usd)
        #expect(priced.converted == Money(amount: 96_969, currency: "RUB") && priced.rateID == later.rateID)
        #expect(try Self.price(h, usd, date: Self.nov15.addingTimeInterval(-5 * Self.day)).converted.amount == 94_500)
        #expect(try Self.price(h, usd, date: Self.nov15.addingTimeInterval(2 * Self.day)).converted.amount == 105_000)
        // Before the first rate: none in force.
        #expect(throws: ErrorBody.self) { try Self.price(h, usd, date: Self.nov15.addingTimeInterval(-30 * Self.day)) }

        // 100 KZT = 18.45 RUB: 1000 KZT → 184.50 RUB.
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "KZT", convertedCurrency: "RUB",
                                                             rate: "18.45", quantity: 100, effectiveFrom: Self.nov15.addingTimeInterval(-Self.day)), as: BillingRate.self)
        #expect(try Self.price(h, Money(amount: 100_000, currency: "KZT")).converted.amount == 18_450)
        // Exact halves, from a currency without minor units (the exponents enter the fraction).
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "JPY", convertedCurrency: "RUB",
                                                             rate: "0.625", effectiveFrom: Self.nov15.addingTimeInterval(-Self.day)), as: BillingRate.self)
        // 1 yen = 62.5 kopecks → 62 (even); 3 yen = 187.5 → 188 (even).
        #expect(try Self.price(h, Money(amount: 1, currency: "JPY")).converted.amount == 62)
        #expect(try Self.price(h, Money(amount: 3, currency: "JPY")).converted.amount == 188)
        // Another client's rates are not this client's.
        #expect(throws: ErrorBody.self) {
            try h.storage.write { db in
                try ExpensePricing.price(db, storeID: "s1", clientID: "c2", providerID: "p1", accountCurrency: "RUB",
                                         amount: usd, productType: nil, date: Self.nov15)
            }
        }
    }

    @Test(arguments: TestEngine.all) func theDiscountThatTakesMostApplies(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let start = Self.nov15.addingTimeInterval(-Self.day)
        let percent = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .percent, percent: "12.5", productTypes: ["vps"], startsAt: start), as: BillingDiscount.self)
        let fixed = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", providerID: "p1", kind: .amount, amount: Money(amount: 500, currency: "RUB"),
            startsAt: start, endsAt: Self.nov15.addingTimeInterval(Self.day)), as: BillingDiscount.self)
        // vps 10000: 12.5 % = 1250 beats 500.
        var priced = try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "vps", promotion: .off(3_000))
        #expect(priced.discount == 1_250 && priced.discountID == percent.discountID && priced.total.amount == 8_750
                    && priced.promotionID == nil,
                "a personal discount replaces the promotion, even a larger one")
        // 2 kopecks × 12.5 % = 0.25 → 0, but the fixed 500 is capped at the 2 there are.
        priced = try Self.price(h, Money(amount: 2, currency: "RUB"), productType: "vps")
        #expect(priced.discount == 2 && priced.discountID == fixed.discountID && priced.total.amount == 0)
        // Another product type: only the fixed one (p1's); another provider: neither.
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "domain").discount == 500)
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "domain", provider: "p2").discount == 0)
        // A fixed amount in RUB never applies to a USD account.
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "RUB", convertedCurrency: "USD",
                                                             rate: "0.01", effectiveFrom: start), as: BillingRate.self)
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "domain", currency: "USD").discount == 0)
        // Out of the period: ends_at is the first moment it no longer applies.
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "domain",
                               date: Self.nov15.addingTimeInterval(Self.day)).discount == 0)
        // Percent half-even: 1020 × 12.5 % = 127.5 → 128; 1004 × 12.5 % = 125.5 → 126; 1012 → 126.5 → 126.
        #expect(try Self.price(h, Money(amount: 1_020, currency: "RUB"), productType: "vps", provider: "p2").discount == 128)
        #expect(try Self.price(h, Money(amount: 1_012, currency: "RUB"), productType: "vps", provider: "p2").discount == 126)
    }

    @Test(arguments: TestEngine.all) func theTaxRuleOfTheProviderZoneAndTypeApplies(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        // 20 % in Moscow from 2026-11-15 00:00:00 local (= 2026-11-14T21:00:00Z) to 2026-11-20 23:59:59 local.
        let general = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(
            storeID: "s1", clientID: "c1", providerID: "p1", name: "НДС", percent: "20", timeZone: "Europe/Moscow",
            start: "2026-11-15T00:00:00", end: "2026-11-20T23:59:59"), as: BillingTaxRule.self)
        let vps = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(
            storeID: "s1", clientID: "c1", providerID: "p1", percent: "8.875", timeZone: "America/New_York",
            start: "2026-11-01T00:00:00", productTypes: ["vps"]), as: BillingTaxRule.self)
        let at = { (text: String) in RFC3339.date(from: text)! }
        var priced = try Self.price(h, Money(amount: 10_001, currency: "RUB"), date: at("2026-11-14T21:00:00Z"))
        #expect(priced.tax == 2_000 && priced.taxRuleID == general.ruleID && priced.total.amount == 12_001)  // 2000.2 → 2000
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), date: at("2026-11-14T20:59:59Z")).tax == 0)
        // The end's own second is included, the next one is not.
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), date: at("2026-11-20T20:59:59.500Z")).tax == 2_000)
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), date: at("2026-11-20T21:00:00Z")).tax == 0)
        // The rule naming the type wins over the general one: 10000 × 8.875 % = 887.5 → 888 (even).
        priced = try Self.price(h, Money(amount: 10_000, currency: "RUB"), productType: "vps", date: at("2026-11-16T12:00:00Z"))
        #expect(priced.tax == 888 && priced.taxRuleID == vps.ruleID)
        // 11000 × 8.875 % = 976.25 → 976; tax on the discounted amount.
        _ = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .amount, amount: Money(amount: 1_000, currency: "RUB"),
            startsAt: at("2026-11-01T00:00:00Z")), as: BillingDiscount.self)
        priced = try Self.price(h, Money(amount: 12_000, currency: "RUB"), productType: "vps", date: at("2026-11-16T12:00:00Z"))
        #expect(priced.discount == 1_000 && priced.tax == 976 && priced.total.amount == 11_976)
        // Another provider has no rule.
        #expect(try Self.price(h, Money(amount: 10_000, currency: "RUB"), date: at("2026-11-16T12:00:00Z"), provider: "p2").tax == 0)
        // A negative amount (a correction) is taxed symmetrically and never discounted.
        priced = try Self.price(h, Money(amount: -10_000, currency: "RUB"), productType: "vps", date: at("2026-11-16T12:00:00Z"))
        #expect(priced.discount == 0 && priced.tax == -888 && priced.total.amount == -10_888)
    }
}
