import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct OrderBillingTests {
    static func attributed(_ order: String, client: String = "c1", amount: Int64 = 2_500) -> OrderAttributed {
        OrderAttributed(storeID: "s1", orderID: order, clientID: client, placedAt: Date(timeIntervalSince1970: 1_780_000_000),
                        total: Money(amount: amount, currency: "RUB"), paymentMethod: .card, matchedBy: .phone)
    }

    static func status(_ order: String, _ status: OrderStatus, at seconds: Double) -> OrderStatusChanged {
        OrderStatusChanged(storeID: "s1", orderID: order, status: status, changedAt: Date(timeIntervalSince1970: 1_780_000_000 + seconds))
    }

    static func accountID(_ h: inout BillingHarness, client: String = "c1") throws -> String {
        try #require(try h.result("billing.account.list", BillingAccountList(storeID: "s1", clientID: client),
                                  as: BillingAccountListResult.self).accounts.first).accountID
    }

    @Test(arguments: TestEngine.all) func anOrderIsAnExpenseAndItsPaidStatusAPaymentInAnyOrderOnce(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        // o1: attributed, then paid. o2: paid first, attributed after. Each delivered twice under new ids.
        try h.send("order.attributed", Self.attributed("o1"))
        try h.send("order.status_changed", Self.status("o1", .paid, at: 10))
        try h.send("order.status_changed", Self.status("o2", .paid, at: 10))
        try h.send("order.attributed", Self.attributed("o2", amount: 1_000))
        try h.send("order.attributed", Self.attributed("o1"))
        try h.send("order.status_changed", Self.status("o2", .paid, at: 10))
        let account = try h.account("a1")
        #expect(account.balance.amount == 0 && account.turnoverYear.amount == 3_500)
        #expect(try h.value("SELECT COUNT(*) FROM billing_payment WHERE state = 'paid'", as: Int.self) == 2)
        #expect(try h.value("SELECT COUNT(*) FROM billing_expense", as: Int.self) == 2)
    }

    @Test(arguments: TestEngine.all) func aCanceledReturnedOrRefusedOrderIsReversed(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        try h.send("order.attributed", Self.attributed("o1"))
        try h.send("order.status_changed", Self.status("o1", .paid, at: 10))
        try h.send("order.status_changed", Self.status("o1", .returned, at: 20))
        // o2's cancellation arrives before its order: nothing is billed.
        try h.send("order.status_changed", Self.status("o2", .canceled, at: 20))
        try h.send("order.attributed", Self.attributed("o2"))
        // o3: a late older "paid" after "refused" does not bring it back.
        try h.send("order.attributed", Self.attributed("o3"))
        try h.send("order.status_changed", Self.status("o3", .refused, at: 30))
        try h.send("order.status_changed", Self.status("o3", .paid, at: 10))
        #expect(try h.account("a1").balance.amount == 0 && (h.ledgerSum("a1")) == 0)
        #expect(try h.value("SELECT COUNT(*) FROM billing_expense WHERE NOT deleted", as: Int.self) == 0)
        #expect(try h.value("SELECT state FROM billing_payment", as: String.self) == "reversed")
    }

    @Test(arguments: TestEngine.all) func aClientWithoutAnAccountGetsAPostpayOneWithTheDefaultProvider(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        try h.send("order.attributed", Self.attributed("o1"))
        let id = try Self.accountID(&h)
        let account = try h.account(id)
        #expect(account.providerID == "hosting" && account.postpay && account.balance.amount == -2_500)
    }
}
