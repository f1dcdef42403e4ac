@testable import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

extension BillingPromotion {
    /// A fixed promotion in roubles.
    static func off(_ amount: Int64, id: String = "promo") -> BillingPromotion {
        BillingPromotion(promotionID: id, kind: .amount, amount: Money(amount: amount, currency: "RUB"))
    }

    static func percent(_ text: String, id: String = "promo") -> BillingPromotion {
        BillingPromotion(promotionID: id, kind: .percent, percent: text)
    }
}

/// Promotions, on both engines: an expense's promotion takes its part off only when no personal
/// discount applies (a personal discount wins even when the promotion would take more); a percent
/// rounds once, half-even, on the converted amount; a fixed one counts only in its own currency;
/// the tax is on what is left; a malformed promotion is refused naming its field.
@Suite struct PromotionTests {
    static let nov15 = PricingTests.nov15

    @Test(arguments: TestEngine.all) func aPromotionAppliesWhenNoPersonalDiscountDoes(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        func price(_ amount: Money, _ type: String?, _ promotion: BillingPromotion?) throws -> PricedExpense {
            try PricingTests.price(h, amount, productType: type, promotion: promotion)
        }
        // 10 % of 10000 = 1000; of 1005 = 100.5 → 100 (even); of 1015 = 101.5 → 102 (even).
        var priced = try price(Money(amount: 10_000, currency: "RUB"), nil, .percent("10", id: "spring"))
        #expect(priced.discount == 1_000 && priced.promotionID == "spring" && priced.discountID == nil && priced.total.amount == 9_000)
        #expect(try price(Money(amount: 1_005, currency: "RUB"), nil, .percent("10")).discount == 100)
        #expect(try price(Money(amount: 1_015, currency: "RUB"), nil, .percent("10")).discount == 102)
        // Capped at the whole amount; nothing off a zero amount, and then no promotion is named.
        #expect(try price(Money(amount: 300, currency: "RUB"), nil, .off(500)).total.amount == 0)
        priced = try price(Money(amount: 0, currency: "RUB"), nil, .off(500))
        #expect(priced.discount == 0 && priced.promotionID == nil)

        // On the converted amount: $10.00 at 90 = 90000 kopecks, 10 % = 9000; a RUB amount off a USD expense counts too
        // (it is converted first), but a USD amount off a RUB expense does not.
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                             rate: "90", effectiveFrom: Self.nov15.addingTimeInterval(-86_400)), as: BillingRate.self)
        priced = try price(Money(amount: 1_000, currency: "USD"), nil, .percent("10"))
        #expect(priced.converted.amount == 90_000 && priced.discount == 9_000 && priced.total.amount == 81_000)
        #expect(try price(Money(amount: 1_000, currency: "USD"), nil, .off(500)).discount == 500)
        let dollars = BillingPromotion(promotionID: "usd", kind: .amount, amount: Money(amount: 500, currency: "USD"))
        priced = try price(Money(amount: 10_000, currency: "RUB"), nil, dollars)
        #expect(priced.discount == 0 && priced.promotionID == nil, "never two currencies in one sum")

        // The tax is on what the promotion left: (10000 − 2000) × 20 % = 1600.
        _ = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "20",
                                                                    timeZone: "UTC", start: "2026-01-01T00:00:00"), as: BillingTaxRule.self)
        priced = try price(Money(amount: 10_000, currency: "RUB"), nil, .off(2_000))
        #expect(priced.discount == 2_000 && priced.tax == 1_600 && priced.total.amount == 9_600)

        // A personal discount for vps only: it wins on vps (even a smaller one), the promotion applies elsewhere.
        let personal = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .percent, percent: "5", productTypes: ["vps"],
            startsAt: Self.nov15.addingTimeInterval(-86_400)), as: BillingDiscount.self)
        priced = try price(Money(amount: 10_000, currency: "RUB"), "vps", .percent("30"))
        #expect(priced.discount == 500 && priced.discountID == personal.discountID && priced.promotionID == nil)
        priced = try price(Money(amount: 10_000, currency: "RUB"), "domain", .percent("30"))
        #expect(priced.discount == 3_000 && priced.discountID == nil && priced.promotionID == "promo")
    }

    @Test(arguments: TestEngine.all) func aMalformedPromotionIsRefusedNamingItsField(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        _ = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .percent, percent: "5", startsAt: Self.nov15.addingTimeInterval(-86_400)),
                         as: BillingDiscount.self)
        let cases: [(BillingPromotion, String)] = [
            (BillingPromotion(promotionID: "p", kind: .percent), "promotion.percent"),
            (BillingPromotion(promotionID: "p", kind: .amount), "promotion.amount"),
            (BillingPromotion(promotionID: "p", kind: .percent, percent: "10", amount: Money(amount: 1, currency: "RUB")), "promotion.amount"),
            (BillingPromotion(promotionID: "p", kind: .amount, percent: "10", amount: Money(amount: 1, currency: "RUB")), "promotion.percent"),
            (BillingPromotion(promotionID: "p", kind: .amount, amount: Money(amount: 0, currency: "RUB")), "promotion.amount.amount"),
        ]
        for (promotion, field) in cases {
            // Refused even though the personal discount would win: the input is wrong either way.
            let error = #expect(throws: ErrorBody.self) {
                try PricingTests.price(h, Money(amount: 10_000, currency: "RUB"), promotion: promotion)
            }
            #expect(error?.code == .validationFailed && error?.details.first?.field == field, "\(promotion)")
        }
    }

    /// Through billing.expense.create/update: the expense keeps its promotion, a change prices it
    /// again under it (or under one the change names), and a personal discount added later wins.
    @Test(arguments: TestEngine.all) func anExpenseKeepsItsPromotionAcrossChanges(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        let account = try h.open(postpay: true)
        var expense = try h.result("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: account.accountID, expenseID: "e1", amount: Money(amount: 10_000, currency: "RUB"),
            productType: "vps", date: h.now, promotion: .percent("10", id: "spring")), as: BillingExpense.self)
        #expect(expense.discount == 1_000 && expense.total.amount == 9_000 && expense.promotionID == "spring")
        #expect(expense.promotion == .percent("10", id: "spring"))
        #expect(try h.ledgerSum(account.accountID) == -9_000)

        // A new amount: 10 % of 20000.
        expense = try h.result("billing.expense.update", BillingExpenseUpdate(
            storeID: "s1", expenseID: "e1", amount: Money(amount: 20_000, currency: "RUB")), as: BillingExpense.self)
        #expect(try expense.discount == 2_000 && expense.promotionID == "spring" && h.ledgerSum(account.accountID) == -18_000)
        // Another promotion named by the change.
        expense = try h.result("billing.expense.update", BillingExpenseUpdate(storeID: "s1", expenseID: "e1", promotion: .off(500, id: "gift")),
                               as: BillingExpense.self)
        #expect(try expense.discount == 500 && expense.promotionID == "gift" && h.ledgerSum(account.accountID) == -19_500)
        // A personal discount of the client's, even a smaller part, takes precedence from the next change on.
        let personal = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .amount, amount: Money(amount: 100, currency: "RUB"), startsAt: h.now.addingTimeInterval(-60)),
                                    as: BillingDiscount.self)
        expense = try h.result("billing.expense.update", BillingExpenseUpdate(storeID: "s1", expenseID: "e1", description: "again"),
                               as: BillingExpense.self)
        #expect(expense.discount == 100 && expense.discountID == personal.discountID && expense.promotionID == nil)
        #expect(expense.promotion == .off(500, id: "gift"), "kept, as given")
        #expect(try h.ledgerSum(account.accountID) == -19_900)

        // A malformed promotion: validation_failed naming the field, nothing recorded.
        let refused = try h.ask("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: account.accountID, expenseID: "e2", amount: Money(amount: 100, currency: "RUB"), date: h.now,
            promotion: BillingPromotion(promotionID: "bad", kind: .percent)))
        #expect(refused.error?.code == .validationFailed && refused.error?.details.first?.field == "promotion.percent")
        #expect(try h.value("SELECT COUNT(*) FROM billing_expense WHERE expense_id = 'e2'", as: Int.self) == 0)
    }
}
