@testable import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct LedgerTests {
    @Test(arguments: TestEngine.all) func theBalanceIsTheLedgersSum(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        _ = try h.expense("a1", 30_000, id: "e1")
        _ = try h.expense("a1", 12_345, id: "e2")
        _ = try h.result("billing.expense.update", BillingExpenseUpdate(storeID: "s1", expenseID: "e2",
                                                                        amount: Money(amount: 10_000, currency: "RUB")), as: BillingExpense.self)
        let payment = try h.pay("a1", expenses: ["e1", "e2"], amount: 35_000)
        #expect(payment.state == "paid" && payment.allocated == 35_000 && payment.unallocated == 0)
        _ = try h.result("billing.withdrawal.create", BillingWithdrawalCreate(
            storeID: "s1", accountID: "a1", amount: Money(amount: 1_000, currency: "RUB"), reason: "refund"), as: BillingWithdrawal.self)
        let account = try h.account("a1")
        #expect(account.balance.amount == -30_000 - 10_000 + 35_000 - 1_000)
        #expect(try account.balance.amount == (h.ledgerSum("a1")))
        #expect(account.turnoverYear.amount == 40_000)
        let allocation = try h.result("billing.payment.allocation", BillingPaymentRef(storeID: "s1", paymentID: payment.paymentID),
                                      as: BillingAllocationResult.self)
        #expect(allocation.lines == [BillingAllocationLine(expenseID: "e1", amount: 30_000), BillingAllocationLine(expenseID: "e2", amount: 5_000)])
        // A paid expense is not deleted, nor cut below what was paid.
        #expect(try h.refusal("billing.expense.delete", BillingExpenseRef(storeID: "s1", expenseID: "e1"))?.code == .conflict)
        #expect(try h.refusal("billing.expense.update", BillingExpenseUpdate(storeID: "s1", expenseID: "e2",
                                                                              amount: Money(amount: 4_000, currency: "RUB")))?.code == .validationFailed)
    }

    /// A taken expense or payment id is a conflict, told before what else is wrong with the command
    /// (the insert refuses it; a refused price or choice of expenses looks the id up first).
    @Test(arguments: TestEngine.all) func aTakenIdIsAConflictBeforeAnythingElse(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        _ = try h.expense("a1", 500, id: "e1")
        let taken = [ErrorDetail(field: "expense_id", problem: "taken")]
        #expect(try h.refusal("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: "a1", expenseID: "e1", amount: Money(amount: 700, currency: "RUB"), date: h.now))?.details == taken)
        #expect(try h.refusal("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: "a1", expenseID: "e1", amount: Money(amount: 700, currency: "USD"), date: h.now))?.details == taken)
        _ = try h.pay("a1", expenses: ["e1"], id: "p1")
        let paymentTaken = [ErrorDetail(field: "payment_id", problem: "taken")]
        // e1 is paid: a new payment for it alone would need an amount; the taken id is told first.
        #expect(try h.refusal("billing.payment.create", BillingPaymentCreate(
            storeID: "s1", accountID: "a1", paymentID: "p1", expenseIDs: ["e1"]))?.details == paymentTaken)
        #expect(try h.refusal("billing.payment.create", BillingPaymentCreate(
            storeID: "s1", accountID: "a1", paymentID: "p1", amount: Money(amount: 100, currency: "RUB")))?.details == paymentTaken)
        #expect(try h.ledgerSum("a1") == 0)
    }

    @Test(arguments: TestEngine.all) func twoCurrenciesAreNeverAdded(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        let error = try h.refusal("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: "a1", amount: Money(amount: 100, currency: "USD"), date: h.now))
        #expect(error?.details.first == ErrorDetail(field: "amount.currency", problem: "no_rate"))
        #expect(try h.refusal("billing.withdrawal.create", BillingWithdrawalCreate(
            storeID: "s1", accountID: "a1", amount: Money(amount: 100, currency: "USD"), reason: "refund"))?.code == .validationFailed)
        #expect(try h.ledgerSum("a1") == 0)
    }

    @Test(arguments: TestEngine.all) func aPaymentIsDeletedOnlyWhileUnpaidAndKeepsItsHistory(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        _ = try h.expense("a1", 500, id: "e1")
        let unpaid = try h.pay("a1", expenses: ["e1"], id: "p1", credit: false)
        #expect(try unpaid.amount.amount == 500 && unpaid.state == "unpaid" && (h.ledgerSum("a1")) == -500)
        _ = try h.result("billing.payment.update", BillingPaymentUpdate(storeID: "s1", paymentID: "p1", amount: Money(amount: 400, currency: "RUB")),
                         as: BillingPayment.self)
        _ = try h.result("billing.payment.delete", BillingPaymentRef(storeID: "s1", paymentID: "p1"), as: BillingPayment.self)
        #expect(try h.refusal("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: "p1"))?.code == .conflict)
        let paid = try h.pay("a1", expenses: ["e1"], id: "p2")
        #expect(try h.refusal("billing.payment.delete", BillingPaymentRef(storeID: "s1", paymentID: paid.paymentID))?.code == .conflict)
        let history = try h.result("billing.payment.history", BillingPaymentRef(storeID: "s1", paymentID: "p1"), as: BillingHistoryResult.self)
        #expect(history.changes.map(\.field) == ["created", "amount", "state"])
        #expect(history.changes.last?.newValue == "deleted")
        #expect(try h.ledgerSum("a1") == 0)
    }

    @Test func allocationNeverLosesOrInventsAMinorUnit() {
        #expect(Allocation.split(100, over: [30, 50, 40]) == [30, 50, 20])
        #expect(Allocation.split(10, over: [0, -5, 20]) == [0, 0, 10])
        #expect(Allocation.split(0, over: [5]) == [0])
    }
}
