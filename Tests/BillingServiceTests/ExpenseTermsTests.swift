import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing
import WorkerKit

/// The personal terms on the core's expenses, on both engines: `billing.expense.create` records
/// what `ExpensePricing` gives, the ledger takes that total, and the payment invoice prints it.
@Suite struct ExpenseTermsTests {
    @Test(arguments: TestEngine.all) func expensesArePricedWithTheClientsTerms(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        try h.provider()
        try h.clientCreated(store: "s1", clientID: "c1", firstName: "Анна", lastName: "Петрова", providers: ["hosting"])
        let account = try h.open(postpay: true)
        let since = h.now.addingTimeInterval(-86_400)
        _ = try h.result("billing.discount.add", BillingDiscountEdit(storeID: "s1", clientID: "c1", kind: .percent, percent: "10",
                                                                     productTypes: ["vps"], startsAt: since), as: BillingDiscount.self)
        _ = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "hosting", percent: "20",
                                                                    timeZone: "UTC", start: "2026-01-01T00:00:00"), as: BillingTaxRule.self)
        _ = try h.result("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                             rate: "92.3512", effectiveFrom: since), as: BillingRate.self)
        // 10000 − 10 % = 9000, + 20 % = 10800.
        let vps = try h.result("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: account.accountID, amount: Money(amount: 10_000, currency: "RUB"), productType: "vps", date: h.now),
                               as: BillingExpense.self)
        #expect(vps.discount == 1_000 && vps.tax == 1_800 && vps.total == Money(amount: 10_800, currency: "RUB") && vps.discountID != nil)
        // $10.50 at 92.3512 = 96968.76 → 96969 kopecks; no discount (not vps); tax 19393.8 → 19394.
        let dollars = try h.result("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: account.accountID, amount: Money(amount: 1_050, currency: "USD"), date: h.now), as: BillingExpense.self)
        #expect(dollars.original == Money(amount: 1_050, currency: "USD") && dollars.converted == Money(amount: 96_969, currency: "RUB"))
        #expect(dollars.tax == 19_394 && dollars.total.amount == 116_363 && dollars.rateID != nil)
        #expect(try h.ledgerSum(account.accountID) == -(10_800 + 116_363))
        // Before the rate's date: refused naming the currency, nothing recorded.
        let early = try h.ask("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: account.accountID, amount: Money(amount: 1_050, currency: "USD"), date: since.addingTimeInterval(-1)))
        #expect(early.error?.code == .validationFailed && early.error?.message.contains("USD") == true)
        #expect(try h.ledgerSum(account.accountID) == -127_163)

        // The payment's invoice prints the ledger's amounts.
        let payment = try h.pay(account.accountID, expenses: [vps.expenseID, dollars.expenseID])
        let document = try h.result("billing.invoice.render", BillingDocumentRender(storeID: "s1", paymentID: payment.paymentID, format: .pdf, locale: .en),
                                    as: BillingDocument.self)
        #expect(document.total == Money(amount: 127_163, currency: "RUB"))
        let text = try PopplerTools.text(of: try PopplerTools.file(of: document))
        for printed in ["10.50 USD", "969.69 RUB", "193.94 RUB", "1,163.63 RUB", "108.00 RUB", "1,271.63 RUB"] {
            #expect(text.contains(printed), "\(printed) not in: \(text)")
        }
        #expect(try h.ledgerSum(account.accountID) == 0)
    }
}
