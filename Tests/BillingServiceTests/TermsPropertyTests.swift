@testable import BillingService
import Contracts
import CRMTestSupport
import Foundation
import PropertyBased
import Testing

/// Random sequences of personal discounts (added, removed), rate changes, tax rules and expenses in
/// the account's currency and in another, on both engines. After every step: the ledger's sum is
/// minus the expenses' totals; each expense's total is converted − discount + tax with
/// 0 ≤ discount ≤ converted; its tax is its rule's percent of the discounted amount and its
/// conversion the rate it names, each rounded once, half-even; an expense with no rate in force is
/// refused and moves nothing. Some expenses come under a promotion: it takes its part off only when
/// no personal discount applies (a personal discount takes precedence, even when it takes less).
@Suite struct TermsPropertyTests {
    enum Step: Sendable, CustomStringConvertible {
        case percentOff(Int), amountOff(Int64), removeDiscount, rate(Int64, Int), tax(Int), rubles(Int64, Bool, BillingPromotion?), dollars(Int64)

        var description: String {
            switch self {
            case .percentOff(let p): "discount \(p).5 %"
            case .amountOff(let a): "discount \(a)"
            case .removeDiscount: "remove a discount"
            case .rate(let r, let days): "rate 0.\(r) ×100 from day \(days)"
            case .tax(let p): "tax \(p).25 %"
            case .rubles(let a, let vps, let promotion):
                "expense \(a) RUB\(vps ? " vps" : "")" + (promotion.map { " under \($0.percent.map { $0 + " %" } ?? "\($0.amount?.amount ?? 0)")" } ?? "")
            case .dollars(let a): "expense \(a) USD"
            }
        }
    }

    static let steps = zip(Gen.int(in: 0...6), Gen.int(in: 1...99_999), Gen.int(in: -3...3), Gen.bool(0.5)).map { kind, n, days, flag in
        switch kind {
        case 0: return Step.percentOff(n % 60)
        case 1: return .amountOff(Int64(n % 500 + 1))
        case 2: return .removeDiscount
        case 3: return .rate(Int64(n), days)
        case 4: return .tax(n % 30)
        case 5:
            // days > 0: a percent promotion; -3: a fixed one; else none.
            let promotion: BillingPromotion? = days > 0 ? BillingPromotion(promotionID: "p\(days)", kind: .percent, percent: "\(days * 7).5")
                : days == -3 ? BillingPromotion(promotionID: "fixed", kind: .amount, amount: Money(amount: 300, currency: "RUB")) : nil
            return .rubles(Int64(n), flag, promotion)
        default: return .dollars(Int64(n % 5_000))
        }
    }.array(of: 10...30)

    @Test(arguments: TestEngine.all) func pricedExpensesKeepTheLedgerAndTheirArithmetic(engine: TestEngine) async throws {
        var runs = 0
        await propertyCheck(count: engine == .sqlite ? 25 : 6, input: Self.steps) { steps in
            try Self.run(steps, engine: engine)
            runs += 1
        }
        #expect(runs > 0)
    }

    static func run(_ steps: [Step], engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        let account = try h.open(postpay: true).accountID
        let day = 86_400.0
        var discounts: [(id: String, vpsOnly: Bool)] = []
        for step in steps {
            let before = try h.ledgerSum(account)
            switch step {
            case .percentOff(let p):
                discounts.append((try h.result("billing.discount.add", BillingDiscountEdit(
                    storeID: "s1", clientID: "c1", kind: .percent, percent: "\(p).5", productTypes: p % 2 == 0 ? ["vps"] : nil,
                    startsAt: h.now.addingTimeInterval(-day)), as: BillingDiscount.self).discountID, p % 2 == 0))
            case .amountOff(let a):
                discounts.append((try h.result("billing.discount.add", BillingDiscountEdit(
                    storeID: "s1", clientID: "c1", kind: .amount, amount: Money(amount: a, currency: "RUB"),
                    startsAt: h.now.addingTimeInterval(-day)), as: BillingDiscount.self).discountID, false))
            case .removeDiscount:
                guard let id = discounts.popLast()?.id else { continue }
                _ = try h.result("billing.discount.remove", BillingDiscountRemove(storeID: "s1", discountID: id), as: BillingDiscount.self)
            case .rate(let r, let days):
                _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                                     rate: "0.\(r)", quantity: 100,
                                                                     effectiveFrom: h.now.addingTimeInterval(Double(days) * day)), as: BillingRate.self)
            case .tax(let p):
                _ = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "hosting",
                                                                            percent: "\(p).25", timeZone: "Europe/Moscow",
                                                                            start: "2026-01-01T00:00:00"), as: BillingTaxRule.self)
            case .rubles(let a, let vps, let promotion):
                let expense = try h.result("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: account, amount: Money(amount: a, currency: "RUB"), productType: vps ? "vps" : nil, date: h.now,
                    promotion: promotion), as: BillingExpense.self)
                // A personal discount in force for the expense's type takes precedence over any promotion.
                if discounts.contains(where: { !$0.vpsOnly || vps }) {
                    #expect(expense.discountID != nil && expense.promotionID == nil, "\(step)")
                }
            case .dollars(let a):
                let hasRate = try h.value("SELECT COUNT(*) FROM billing_rate WHERE effective_from <= ?", [h.now], as: Int.self) ?? 0 > 0
                let reply = try h.ask("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: account, amount: Money(amount: a, currency: "USD"), date: h.now))
                #expect(reply.ok == hasRate, "\(step): \(String(describing: reply.error))")
                if !hasRate { #expect(try h.ledgerSum(account) == before && reply.error?.details.first?.field == "amount.currency") }
            }
            try Self.check(h, account: account)
        }
    }

    /// The invariants, read straight from the tables.
    static func check(_ h: BillingHarness, account: String) throws {
        let totals = try h.value("SELECT COALESCE(SUM(total), 0) FROM billing_expense WHERE account_id = ? AND NOT deleted", [account], as: Int64.self)
        #expect(try h.ledgerSum(account) == -(totals ?? 0))
        let rows = try h.storage.read { db in
            try db.rows("""
                SELECT e.original_amount, e.converted_amount, e.discount, e.tax, e.total, t.percent_micro, r.rate_units, r.rate_scale, r.quantity,
                    e.discount_id, e.promotion, e.promotion_id
                FROM billing_expense e LEFT JOIN billing_tax_rule t ON t.rule_id = e.tax_rule_id
                LEFT JOIN billing_rate r ON r.rate_id = e.rate_id WHERE e.account_id = ?
                """, [account])
        }
        for row in rows {
            let converted: Int64 = row["converted_amount"], discount: Int64 = row["discount"], tax: Int64 = row["tax"]
            #expect(row["total"] == converted - discount + tax)
            #expect(discount >= 0 && discount <= max(0, converted))
            // The personal discount takes precedence; only without one does the promotion count.
            let promotion = try Promotions.promotion(row["promotion"])
            if (row["discount_id"] as String?) != nil {
                #expect((row["promotion_id"] as String?) == nil)
            } else {
                let off = try promotion.map { try Promotions.off($0, on: Money(amount: converted, currency: "RUB")) } ?? 0
                #expect(discount == off && ((row["promotion_id"] as String?) != nil) == (off > 0))
            }
            let percent: Int64? = row["percent_micro"]
            #expect(tax == Rounding.halfEven(converted - discount, times: percent ?? 0, over: 100_000_000))
            if let units: Int64 = row["rate_units"] {
                let scale = Int(row["rate_scale"] as Int64), quantity: Int64 = row["quantity"]
                // USD and RUB both have two decimals: minor units × units ÷ (10^scale × quantity).
                var power: Int64 = 1
                for _ in 0..<scale { power *= 10 }
                #expect(converted == Rounding.halfEven(row["original_amount"], times: units, over: power * quantity))
            }
        }
    }
}
