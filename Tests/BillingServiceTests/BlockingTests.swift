import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct BlockingTests {
    @Test(arguments: TestEngine.all) func crossingTheCreditLimitSuspendsServicesAndPayingUpResumesThem(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", creditLimit: 1_000)
        for name in ["vps", "mail"] {
            _ = try h.result("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "a1", serviceID: name, name: name,
                                                                      price: Money(amount: 500, currency: "RUB")), as: BillingServiceView.self)
        }
        _ = try h.result("billing.service.update", BillingServiceUpdate(storeID: "s1", serviceID: "mail", state: "closed"),
                         as: BillingServiceView.self)
        _ = try h.expense("a1", 1_000, id: "e1")
        #expect(try !h.account("a1").blocked, "exactly at the limit is not over it")
        _ = try h.expense("a1", 1, id: "e2")
        let blocked = try h.account("a1")
        #expect(blocked.blocked && blocked.blockedReason == "credit_limit" && blocked.servicesSuspended == 1)
        let events = try h.events("billing.account.blocked", as: BillingAccountBlocking.self)
        #expect(events.count == 1 && events[0].servicesChanged == 1 && events[0].balance.amount == -1_001 && events[0].reason == "credit_limit")

        _ = try h.pay("a1", expenses: ["e2"])
        let open = try h.account("a1")
        #expect(!open.blocked && open.servicesActive == 1)
        let services = try h.result("billing.service.list", BillingServiceList(storeID: "s1", accountID: "a1"), as: BillingServiceListResult.self)
        #expect(Dictionary(uniqueKeysWithValues: services.services.map { ($0.serviceID, $0.state) }) == ["vps": "active", "mail": "closed"],
                "the closed one stays closed")
        let unblocked = try h.events("billing.account.unblocked", as: BillingAccountBlocking.self)
        #expect(unblocked.map(\.reason) == ["paid_up"] && unblocked[0].servicesChanged == 1)
    }

    /// Deactivating a blocked account does not resume its services; it is decided anew when active again.
    @Test(arguments: TestEngine.all) func aBlockedAccountSwitchedOffStaysBlockedUntilPaidUp(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        _ = try h.result("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "a1", serviceID: "vps", name: "vps",
                                                                  price: Money(amount: 500, currency: "RUB")), as: BillingServiceView.self)
        _ = try h.expense("a1", 700, id: "e1")
        func update(active: Bool) throws -> BillingAccount {
            try h.result("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", active: active), as: BillingAccount.self)
        }
        var account = try update(active: false)
        #expect(account.blocked && account.servicesSuspended == 1 && !account.active)
        account = try update(active: true)
        #expect(account.blocked && account.servicesSuspended == 1, "still in debt")
        _ = try h.pay("a1", expenses: ["e1"])
        #expect(try !h.account("a1").blocked && h.account("a1").servicesActive == 1)
        #expect(try h.events("billing.account.blocked", as: BillingAccountBlocking.self).count == 1)
        #expect(try h.events("billing.account.unblocked", as: BillingAccountBlocking.self).map(\.reason) == ["paid_up"])
    }

    @Test(arguments: TestEngine.all) func anAccountWithNoServicesStillBlocksAndSaysSo(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        _ = try h.expense("a1", 10)
        let events = try h.events("billing.account.blocked", as: BillingAccountBlocking.self)
        #expect(events.count == 1 && events[0].servicesChanged == 0)
        _ = try h.result("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", creditLimit: 10), as: BillingAccount.self)
        #expect(try h.events("billing.account.unblocked", as: BillingAccountBlocking.self).map(\.reason) == ["limit_raised"])
        // Postpay never blocks on the balance.
        _ = try h.result("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", postpay: true), as: BillingAccount.self)
        _ = try h.expense("a1", 1_000_000)
        #expect(try !h.account("a1").blocked)
    }

    @Test(arguments: TestEngine.all) func anOverduePaymentBlocksAtItsDeadlineByTheCheck(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true, deferment: "days", defermentDays: 10, blockAfterDays: 15)
        _ = try h.expense("a1", 700, id: "e1")
        let payment = try h.pay("a1", expenses: ["e1"], id: "p1", credit: false)
        #expect(payment.dueAt == h.now.addingTimeInterval(10 * 86_400))
        let start = h.now
        h.now = start.addingTimeInterval(11 * 86_400)
        let due = try h.account("a1")
        #expect(due.overdue.amount == 700 && !due.blocked, "overdue, not yet blocked")
        #expect(try h.result("billing.overdue.check", BillingOverdueCheck(storeID: "s1"), as: BillingOverdueCheckResult.self).blocked == 0)
        h.now = start.addingTimeInterval(15 * 86_400 + 1)
        let check = try h.result("billing.overdue.check", BillingOverdueCheck(storeID: "s1"), as: BillingOverdueCheckResult.self)
        #expect(check.checked == 1 && check.blocked == 1)
        #expect(try h.account("a1").blockedReason == "overdue")
        _ = try h.result("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: "p1"), as: BillingPayment.self)
        #expect(try !h.account("a1").blocked)
        #expect(try h.events("billing.account.unblocked", as: BillingAccountBlocking.self).map(\.reason) == ["paid_up"])
    }

    /// The `overdue` timer (a WorkerTimer: elected on PostgreSQL, as the service's own user) blocks
    /// an account once its unpaid payment passed the block-after deadline, and only once.
    @Test(arguments: TestEngine.all) func theOverdueTimerBlocksAnAccountOncePastItsDeadline(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        h.now = Date()
        _ = try h.open(account: "a1", postpay: true, deferment: "days", defermentDays: 3, blockAfterDays: 5)
        try h.client("c2")
        _ = try h.open("c2", account: "a2", postpay: true, deferment: "days", defermentDays: 3, blockAfterDays: 5)
        for account in ["a1", "a2"] {
            _ = try h.expense(account, 900, id: "e-\(account)")
            _ = try h.pay(account, expenses: ["e-\(account)"], id: "p-\(account)", credit: false)
        }
        try h.tick()
        #expect(try h.events("billing.account.blocked", as: BillingAccountBlocking.self).isEmpty, "not overdue yet")

        // Five days pass for p-a1: its deadline is moved back instead.
        try h.storage.write { db in
            _ = try db.execute("UPDATE billing_payment SET block_at = ? WHERE payment_id = 'p-a1'", [Date().addingTimeInterval(-1)])
        }
        try h.tick()
        try h.tick()
        let events = try h.events("billing.account.blocked", as: BillingAccountBlocking.self)
        #expect(events.map(\.accountID) == ["a1"] && events[0].reason == "overdue", "once, and only the overdue account")
        #expect(try h.account("a1").blocked && !h.account("a2").blocked)
        #expect(try h.value("SELECT changed_by FROM billing_account_change WHERE account_id = 'a1' AND field = 'blocked'",
                            as: String.self) == "billing-service", "the timer acts as the service's own user")
    }
}
