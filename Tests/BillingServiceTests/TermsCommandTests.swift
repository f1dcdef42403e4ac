import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing
import WorkerKit

/// `billing.discount.*`, `billing.rate.*`, `billing.tax_rule.*` through the processor, on both
/// engines: add, update, list, remove; bad terms refused naming the field; another store's terms
/// are `not_found`, and a sender without the store is refused.
@Suite struct TermsCommandTests {
    static let start = RFC3339.date(from: "2026-11-01T00:00:00Z")!
    static let operatorUser = DevelopmentUsers.operatorName

    @Test(arguments: TestEngine.all) func discountsLiveAndDie(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let added = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .percent, percent: "12.5", productTypes: ["vps", "hosting", "vps"], startsAt: Self.start,
            description: "Постоянный клиент"), as: BillingDiscount.self, user: Self.operatorUser)
        #expect(added.productTypes == ["hosting", "vps"] && added.percent == "12.5" && added.amount == nil)
        var edit = BillingDiscountEdit(storeID: "s1", discountID: added.discountID, clientID: "c1", kind: .amount,
                                       amount: Money(amount: 50_000, currency: "RUB"), startsAt: Self.start)
        let updated = try h.result("billing.discount.update", edit, as: BillingDiscount.self)
        #expect(updated.kind == .amount && updated.amount == Money(amount: 50_000, currency: "RUB") && updated.percent == nil)
        #expect(updated.productTypes == [] && updated.createdAt == added.createdAt)
        #expect(try h.result("billing.discount.list", BillingTermsList(storeID: "s1", clientID: "c1"), as: BillingDiscountListResult.self)
            .discounts == [updated])

        // Another store: not found, and an operator of other stores is refused outright.
        edit.storeID = "s2"
        #expect(try h.ask("billing.discount.update", edit).error?.code == .notFound)
        #expect(try h.ask("billing.discount.remove", BillingDiscountRemove(storeID: "s2", discountID: added.discountID)).error?.code == .notFound)
        #expect(try h.ask("billing.discount.list", BillingTermsList(storeID: "s9", clientID: "c1"), as: Self.operatorUser).error?.code == .unauthorized)

        let removed = try h.result("billing.discount.remove", BillingDiscountRemove(storeID: "s1", discountID: added.discountID), as: BillingDiscount.self)
        #expect(removed == updated)
        #expect(try h.count("SELECT COUNT(*) FROM billing_discount") == 0)
        #expect(try h.ask("billing.discount.remove", BillingDiscountRemove(storeID: "s1", discountID: added.discountID)).error?.code == .notFound)
    }

    @Test(arguments: TestEngine.all) func badDiscountsAreRefusedNamingTheField(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let cases: [(BillingDiscountEdit, String)] = [
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .percent, startsAt: Self.start), "percent"),
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .percent, percent: "100.5", startsAt: Self.start), "percent"),
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .amount, startsAt: Self.start), "amount"),
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .amount, amount: Money(amount: 0, currency: "RUB"), startsAt: Self.start), "amount.amount"),
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .amount, percent: "5", amount: Money(amount: 10, currency: "RUB"), startsAt: Self.start), "percent"),
            (BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .percent, percent: "5", startsAt: Self.start, endsAt: Self.start), "ends_at"),
        ]
        for (edit, field) in cases {
            let reply = try h.ask("billing.discount.add", edit)
            #expect(reply.error?.code == .validationFailed && reply.error?.details.first?.field == field, "\(field): \(String(describing: reply.error))")
        }
        // The schema's own checks: a percent as a JSON number, a discount_id on add.
        var raw = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(BillingDiscountEdit(
            storeID: "s1", clientID: "c1", kind: .percent, percent: "5", startsAt: Self.start))) as! [String: Any]
        raw["percent"] = 5.5
        let outcome = try h.sendRaw("billing.discount.add", try JSONSerialization.data(withJSONObject: raw))
        #expect(outcome == .rejected(type: "billing.discount.add", code: .validationFailed))
        #expect(try h.count("SELECT COUNT(*) FROM billing_discount") == 0)
    }

    @Test(arguments: TestEngine.all) func ratesLiveAndDie(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let added = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                                     rate: "92.3512", effectiveFrom: Self.start), as: BillingRate.self)
        #expect(added.quantity == 1 && added.rate == "92.3512")
        let updated = try h.result("billing.rate.update", BillingRateEdit(storeID: "s1", rateID: added.rateID, clientID: "c1", baseCurrency: "KZT",
                                                                          convertedCurrency: "RUB", rate: "18.45", quantity: 100, effectiveFrom: Self.start),
                                   as: BillingRate.self)
        #expect(updated.quantity == 100 && updated.baseCurrency == "KZT")
        #expect(try h.result("billing.rate.list", BillingTermsList(storeID: "s1", clientID: "c1"), as: BillingRateListResult.self).rates == [updated])
        #expect(try h.ask("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "RUB", convertedCurrency: "RUB",
                                                             rate: "1", effectiveFrom: Self.start)).error?.details.first?.field == "converted_currency")
        #expect(try h.ask("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                             rate: "0.000", effectiveFrom: Self.start)).error?.details.first?.field == "rate")
        #expect(try h.ask("billing.rate.remove", BillingRateRemove(storeID: "s2", rateID: added.rateID)).error?.code == .notFound)
        #expect(try h.result("billing.rate.remove", BillingRateRemove(storeID: "s1", rateID: added.rateID), as: BillingRate.self) == updated)
        #expect(try h.count("SELECT COUNT(*) FROM billing_rate") == 0)
    }

    @Test(arguments: TestEngine.all) func taxRulesLiveAndDie(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let added = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(
            storeID: "s1", clientID: "c1", providerID: "p1", name: "НДС 20%", percent: "20", timeZone: "Europe/Moscow",
            start: "2026-01-01T00:00:00", end: "2026-12-31T23:59:59"), as: BillingTaxRule.self)
        #expect(added.start == "2026-01-01T00:00:00" && added.end == "2026-12-31T23:59:59" && added.timeZone == "Europe/Moscow")
        // Kept as the instants they name: Moscow is UTC+3.
        #expect(try h.storage.read { db in try db.value("SELECT starts_at FROM billing_tax_rule", as: Date.self) }
            == RFC3339.date(from: "2025-12-31T21:00:00Z"))
        let updated = try h.result("billing.tax_rule.update", BillingTaxRuleEdit(
            storeID: "s1", ruleID: added.ruleID, clientID: "c1", providerID: "p1", percent: "8.875", timeZone: "America/New_York",
            start: "2026-07-01T00:00:00", productTypes: ["hosting"]), as: BillingTaxRule.self)
        #expect(updated.end == nil && updated.productTypes == ["hosting"] && updated.name == nil)
        #expect(try h.result("billing.tax_rule.list", BillingTermsList(storeID: "s1", clientID: "c1"), as: BillingTaxRuleListResult.self).rules == [updated])
        let bad: [(BillingTaxRuleEdit, String)] = [
            (BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "20", timeZone: "Mars/Olympus", start: "2026-01-01T00:00:00"), "time_zone"),
            (BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "20", timeZone: "UTC", start: "2026-02-30T00:00:00"), "start"),
            // 02:30 on 2026-03-08 does not exist in New York (the clocks jump from 2:00 to 3:00).
            (BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "20", timeZone: "America/New_York", start: "2026-03-08T02:30:00"), "start"),
            (BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "20", timeZone: "UTC", start: "2026-02-01T00:00:00", end: "2026-01-31T23:59:59"), "end"),
            (BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "p1", percent: "120", timeZone: "UTC", start: "2026-02-01T00:00:00"), "percent"),
        ]
        for (edit, field) in bad {
            let reply = try h.ask("billing.tax_rule.add", edit)
            #expect(reply.error?.code == .validationFailed && reply.error?.details.first?.field == field, "\(field): \(String(describing: reply.error))")
        }
        #expect(try h.result("billing.tax_rule.remove", BillingTaxRuleRemove(storeID: "s1", ruleID: added.ruleID), as: BillingTaxRule.self) == updated)
        #expect(try h.count("SELECT COUNT(*) FROM billing_tax_rule") == 0)
    }
}
