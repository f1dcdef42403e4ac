import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite.BillingRulesThroughBrokerTests {
    /// The rules that were unit-tested only, through the broker: a deleted client gets no new
    /// account and a restored one does (`client.deleted`, `client.restored`); a service's tariff
    /// and price change, and a blocked account's service set active stays suspended; a tax rule's
    /// end is its last second, in its time zone; an operator's `billing.overdue.check` blocks an
    /// account past its block-after deadline once.
    @Test func lifecycleServicesTaxEndAndOverdueCheckThroughTheBroker() async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        // The timer stays out of the way: the operator's check is what blocks here.
        try await RunningWorker.with(BillingServiceDefinition(overdueEvery: .seconds(3600)), url: url) { billing in
            let op = try Self.ready(url, billing, clients: ["c1", "c2"])
            let tap = try EventTap(url: url, keys: ["billing.account.blocked"])
            _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                            currency: "RUB", isDefault: true), as: BillingProvider.self)

            // c2 deleted: no account; restored: one.
            let lifecycle = { (type: String, version: Int) in
                AMQPMessage(body: Self.body(ClientLifecycle(clientID: "c2", storeID: "s1", version: version, at: Date())),
                            messageID: "\(type)-c2-\(version)", type: type, userID: url.user)
            }
            try ConfirmedPublisher(url: url).publish([lifecycle("client.deleted", 2)])
            #expect(try eventually(timeout: .seconds(10)) {
                try billing.count("SELECT COUNT(*) FROM billing_client WHERE client_id = 'c2' AND deleted") == 1
            })
            // Postpay, 3 days of deferment, blocked after 5: the account of the tax and overdue checks below.
            let openC2 = BillingAccountOpen(storeID: "s1", clientID: "c2", providerID: "hosting", accountID: "late", postpay: true,
                                            deferment: "days", defermentDays: 3, blockAfterDays: 5)
            #expect(try op.refusal("billing.account.open", openC2)?.details.first == ErrorDetail(field: "client_id", problem: "not_found"))
            try ConfirmedPublisher(url: url).publish([lifecycle("client.restored", 3)])
            #expect(try eventually(timeout: .seconds(10)) {
                try billing.count("SELECT COUNT(*) FROM billing_client WHERE client_id = 'c2' AND NOT deleted") == 1
            })
            #expect(try op.ask("billing.account.open", openC2, as: BillingAccount.self).accountID == "late")

            // A service's tariff and price change; blocked by its limit, set active, it stays suspended.
            _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting", accountID: "a1"),
                           as: BillingAccount.self)
            let vps = try op.ask("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "a1", serviceID: "vps", name: "VPS",
                                                                          tariff: "S", price: Money(amount: 50_000, currency: "RUB")),
                                 as: BillingServiceView.self)
            #expect(vps.state == "active")
            let bigger = try op.ask("billing.service.update", BillingServiceUpdate(storeID: "s1", serviceID: "vps", tariff: "M",
                                                                                   price: Money(amount: 80_000, currency: "RUB")),
                                    as: BillingServiceView.self)
            #expect(bigger.tariff == "M" && bigger.price.amount == 80_000 && bigger.name == "VPS")
            #expect(try op.refusal("billing.service.update", BillingServiceUpdate(storeID: "s1", serviceID: "vps",
                                                                                  price: Money(amount: 1, currency: "USD")))?
                .details.first == ErrorDetail(field: "price.currency", problem: "currency_mismatch"))
            _ = try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: "a1", amount: Money(amount: 80_000, currency: "RUB"),
                                                                          date: Date()), as: BillingExpense.self)
            let kept = try op.ask("billing.service.update", BillingServiceUpdate(storeID: "s1", serviceID: "vps", state: "active"),
                                  as: BillingServiceView.self)
            #expect(kept.state == "suspended" && kept.suspendedByBlock, "a blocked account's services wait for it")
            #expect(try op.ask("billing.service.list", BillingServiceList(storeID: "s1", accountID: "a1"), as: BillingServiceListResult.self)
                .services.map { "\($0.serviceID) \($0.tariff ?? "") \($0.price.amount) \($0.state)" } == ["vps M 80000 suspended"])

            // 20 % until 15 November 23:59:59 in Moscow (= 20:59:59 UTC): its last second is taxed, the next is not.
            _ = try op.ask("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c2", providerID: "hosting", percent: "20",
                                                                      timeZone: "Europe/Moscow", start: "2026-11-01T00:00:00",
                                                                      end: "2026-11-15T23:59:59"), as: BillingTaxRule.self)
            let expense = { (date: String) in
                try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: "late", amount: Money(amount: 1_000, currency: "RUB"),
                                                                          date: RFC3339.date(from: date)!), as: BillingExpense.self)
            }
            let lastSecond = try expense("2026-11-15T20:59:59Z"), after = try expense("2026-11-15T21:00:00Z")
            #expect(lastSecond.tax == 200, "the rule's last second")
            #expect(after.tax == 0, "the second after its end")

            // An unpaid payment past its block-after day: the operator's check blocks it, once.
            _ = try op.ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: "late", paymentID: "p-late",
                                                                          expenseIDs: [lastSecond.expenseID, after.expenseID]),
                           as: BillingPayment.self)
            try billing.worker.storage.write { db in
                _ = try db.execute("UPDATE billing_payment SET due_at = ?, block_at = ? WHERE payment_id = 'p-late'",
                                   [Date().addingTimeInterval(-86_400), Date().addingTimeInterval(-1)])
            }
            #expect(try op.ask("billing.overdue.check", BillingOverdueCheck(storeID: "s1"), as: BillingOverdueCheckResult.self).blocked == 1)
            #expect(try op.ask("billing.overdue.check", BillingOverdueCheck(storeID: "s1"), as: BillingOverdueCheckResult.self).blocked == 0)
            let late = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "late"), as: BillingAccount.self)
            #expect(late.blocked && late.blockedReason == "overdue")
            let events = try tap.collect(2, timeout: .seconds(5)) + tap.collect(1, timeout: .milliseconds(300))
            let blocked = try events.map { try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body) }
            #expect(blocked.map { "\($0.accountID) \($0.reason)" } == ["a1 credit_limit", "late overdue"])
        }
    }
}
