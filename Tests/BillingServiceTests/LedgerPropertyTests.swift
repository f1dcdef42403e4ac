@testable import BillingService
import Contracts
import CRMTestSupport
import Foundation
import PropertyBased
import Testing

/// Random sequences of expenses, payments (credited or not), allocations, withdrawals, deletions,
/// order reversals, limit changes and the account switched off and on, on one prepaid account: after
/// every step the balance is the ledger's sum, no payment's or expense's allocations exceed it
/// (allocated + unallocated is the amount, to the minor unit), and the active account is blocked
/// exactly when its balance is below the credit limit (switched off, it keeps the state it had),
/// with one `blocked` event more than `unblocked` while it is.
@Suite struct LedgerPropertyTests {
    enum Step: Sendable, CustomStringConvertible {
        case expense(Int64), payFor(Int, Int64?), credit(Int), deleteExpense(Int), deletePayment(Int)
        case withdrawal(Int64), limit(Int64), order(Int, OrderStatus?), active(Bool)

        var description: String {
            switch self {
            case .expense(let a): "expense \(a)"
            case .payFor(let i, let a): "pay for #\(i) \(a.map(String.init) ?? "owed")"
            case .credit(let i): "credit #\(i)"
            case .deleteExpense(let i): "delete expense #\(i)"
            case .deletePayment(let i): "delete payment #\(i)"
            case .withdrawal(let a): "withdraw \(a)"
            case .limit(let l): "limit \(l)"
            case .order(let i, let s): "order o\(i) \(s.map(\.rawValue) ?? "attributed")"
            case .active(let on): on ? "switch on" : "switch off"
            }
        }
    }

    static let statuses: [OrderStatus?] = [nil, .paid, .canceled, .returned, .refused]

    static let steps = zip(Gen.int(in: 0...8), Gen.int(in: 1...3_000), Gen.int(in: 0...7), Gen.bool(0.5)).map { kind, amount, index, flag in
        let amount = Int64(amount)
        switch kind {
        case 0: return Step.expense(amount)
        case 1: return .payFor(index, flag ? amount : nil)
        case 2: return .credit(index)
        case 3: return .deleteExpense(index)
        case 4: return .deletePayment(index)
        case 5: return .withdrawal(amount / 3 + 1)
        case 6: return .limit(flag ? amount : 0)
        case 7: return .order(index % 4, statuses[amount % 5 == 0 ? 0 : Int(amount % 5)])
        default: return .active(flag)
        }
    }.array(of: 15...45)

    @Test(arguments: TestEngine.all) func theLedgerBalancesAllocationsAddUpAndBlockingFollowsTheLimit(engine: TestEngine) async throws {
        var runs = 0
        await propertyCheck(count: engine == .sqlite ? 30 : 8, input: Self.steps) { steps in
            try Self.run(steps, engine: engine)
            runs += 1
        }
        #expect(runs > 0)
    }

    static func run(_ steps: [Step], engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", creditLimit: 2_000)
        var expenses: [String] = []
        var payments: [String] = []
        var time: Double = 0
        var frozen: Bool?  // switched off: the blocking state it keeps
        for (n, step) in steps.enumerated() {
            h.now += 1
            time += 1
            switch step {
            case .expense(let amount): expenses.append(try h.expense("a1", amount, id: "e\(n)").expenseID)
            case .payFor(let i, let amount):
                let chosen = expenses.isEmpty ? [] : [expenses[i % expenses.count]]
                let reply = try h.ask("billing.payment.create", BillingPaymentCreate(
                    storeID: "s1", accountID: "a1", paymentID: "p\(n)", expenseIDs: chosen, amount: amount.map { Money(amount: $0, currency: "RUB") }))
                if reply.ok { payments.append("p\(n)") }
            case .credit(let i) where !payments.isEmpty:
                _ = try h.ask("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: payments[i % payments.count]))
            case .deleteExpense(let i) where !expenses.isEmpty:
                _ = try h.ask("billing.expense.delete", BillingExpenseRef(storeID: "s1", expenseID: expenses[i % expenses.count]))
            case .deletePayment(let i) where !payments.isEmpty:
                _ = try h.ask("billing.payment.delete", BillingPaymentRef(storeID: "s1", paymentID: payments[i % payments.count]))
            case .withdrawal(let amount):
                _ = try h.ask("billing.withdrawal.create", BillingWithdrawalCreate(
                    storeID: "s1", accountID: "a1", amount: Money(amount: amount, currency: "RUB"), reason: "correction"))
            case .limit(let limit):
                _ = try h.ask("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", creditLimit: limit))
            case .order(let i, let status):
                if let status {
                    try h.send("order.status_changed", OrderStatusChanged(storeID: "s1", orderID: "o\(i)", status: status,
                                                                          changedAt: Date(timeIntervalSince1970: time)))
                } else {
                    try h.send("order.attributed", OrderAttributed(storeID: "s1", orderID: "o\(i)", clientID: "c1", placedAt: h.now,
                                                                   total: Money(amount: 500 + Int64(i), currency: "RUB"),
                                                                   paymentMethod: .card, matchedBy: .phone))
                }
            case .active(let on):
                let before = try h.account("a1").blocked
                _ = try h.result("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", active: on),
                                 as: BillingAccount.self)
                frozen = on ? nil : (frozen ?? before)
            default: break
            }
            try check(&h, frozen: frozen, after: "step \(n) \(step) of \(steps)")
        }
    }

    static func check(_ h: inout BillingHarness, frozen: Bool?, after what: String) throws {
        let account = try h.account("a1")
        let sum = try h.ledgerSum("a1")
        #expect(account.balance.amount == sum, "balance is the ledger's sum after \(what)")
        let overPaid = try h.value("""
            SELECT COUNT(*) FROM billing_payment p WHERE (SELECT COALESCE(SUM(amount), 0) FROM billing_allocation a
                WHERE a.payment_id = p.payment_id) > p.amount OR (p.state <> 'paid' AND EXISTS
                (SELECT 1 FROM billing_allocation a WHERE a.payment_id = p.payment_id))
            """, as: Int.self)
        #expect(overPaid == 0, "a payment's allocations exceed it after \(what)")
        let overAllocated = try h.value("""
            SELECT COUNT(*) FROM billing_expense e WHERE (SELECT COALESCE(SUM(amount), 0) FROM billing_allocation a
                WHERE a.expense_id = e.expense_id) > e.total
            """, as: Int.self)
        #expect(overAllocated == 0, "an expense is allocated more than it costs after \(what)")
        // What was credited is the ledger's payments: allocated + unallocated, to the minor unit.
        let credited = try h.value("SELECT COALESCE(SUM(amount), 0) FROM billing_payment WHERE state = 'paid'", as: Int64.self) ?? 0
        let allocated = try h.value("SELECT COALESCE(SUM(amount), 0) FROM billing_allocation", as: Int64.self) ?? 0
        let paidInLedger = try h.value("""
            SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE kind IN ('payment', 'payment_reversed')
            """, as: Int64.self) ?? 0
        #expect(credited == paidInLedger && allocated <= credited, "payments and allocations after \(what)")
        #expect(account.blocked == (frozen ?? (sum < -account.creditLimit)), "blocking follows the limit after \(what)")
        let blocked = try h.events("billing.account.blocked", as: BillingAccountBlocking.self).count
        let unblocked = try h.events("billing.account.unblocked", as: BillingAccountBlocking.self).count
        #expect(blocked - unblocked == (account.blocked ? 1 : 0), "events alternate after \(what)")
    }
}
