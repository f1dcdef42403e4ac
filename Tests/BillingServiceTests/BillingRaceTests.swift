import BillingService
import Contracts
import CRMTestSupport
import Dispatch
import Foundation
import Messaging
import SQLStore
import Testing
@testable import WorkerKit

/// Two billing replicas on one database, one step at a time: a transaction is held open while
/// another connection handles a message touching the same order or account. On PostgreSQL (READ
/// COMMITTED) each would miss the other's uncommitted rows without the locks the handlers take;
/// on SQLite the second writer waits. Either way each movement counts once and blocking follows.
@Suite struct BillingRaceTests {
    static func delivery(_ type: String, _ body: some Encodable, user: String? = nil) throws -> Delivery {
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: UUID().uuidString, type: type,
                                  replyTo: "replies", userID: user ?? DevelopmentUsers.sender(of: type))
        return Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.events, routingKey: type)
    }

    /// `first` in a transaction held open on another thread, `second` meanwhile (TransactionRace).
    static func race(_ h: BillingHarness, _ first: Delivery, _ second: Delivery) throws {
        try TransactionRace.run(h.storage, h.processor, first, second)
    }

    @Test(arguments: TestEngine.all, [true, false])
    func anOrdersAttributionAndItsPaymentOnTwoReplicasBillItOnce(engine: TestEngine, attributedFirst: Bool) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1", postpay: true)
        let attributed = try Self.delivery("order.attributed", OrderBillingTests.attributed("o1"))
        let paid = try Self.delivery("order.status_changed", OrderBillingTests.status("o1", .paid, at: 10))
        try Self.race(h, attributedFirst ? attributed : paid, attributedFirst ? paid : attributed)
        #expect(try h.value("SELECT COUNT(*) FROM billing_expense WHERE order_id = 'o1'", as: Int.self) == 1)
        #expect(try h.value("SELECT COUNT(*) FROM billing_payment WHERE order_id = 'o1' AND state = 'paid'", as: Int.self) == 1)
        #expect(try h.account("a1").balance.amount == 0 && h.ledgerSum("a1") == 0)
    }

    /// An operator's expense and a shop order on one prepaid account, each crossing the limit on
    /// its own: the account blocks once, and the balance is both.
    @Test(arguments: TestEngine.all)
    func anExpenseAndAnOrderOnOneAccountBlockItOnce(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        let expense = try Self.delivery("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: "a1", expenseID: "e1", amount: Money(amount: 300, currency: "RUB"), date: h.now),
                                        user: DevelopmentUsers.operatorName)
        try Self.race(h, expense, try Self.delivery("order.attributed", OrderBillingTests.attributed("o1")))
        #expect(try h.account("a1").balance.amount == -2_800 && h.ledgerSum("a1") == -2_800)
        #expect(try h.events("billing.account.blocked", as: BillingAccountBlocking.self).count == 1)
        #expect(try h.value("SELECT COUNT(*) FROM billing_account_change WHERE account_id = 'a1' AND field = 'blocked'", as: Int.self) == 1)
    }
}
