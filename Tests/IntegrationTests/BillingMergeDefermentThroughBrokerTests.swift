import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite.BillingRulesThroughBrokerTests {
    /// `client.merged` moves a merged client's account with another provider (its services and
    /// ledger with it) and its offers to the survivor; `client.unmerged` moves them back.
    /// Deferment: a payment past its due date is overdue but blocks only after its block-after
    /// deadline (the timer's turn), and an unlimited deferment never blocks. A referrer's payout
    /// is a withdrawal that blocks a prepaid account it takes below zero.
    @Test func mergesMoveAccountsServicesAndOffersDefermentBlocksAfterItsDaysAndPayouts() async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        try await RunningWorker.with(BillingServiceDefinition(overdueEvery: .milliseconds(200)), url: url) { billing in
            let op = try Self.ready(url, billing, clients: ["c1"])
            let card = try clientChangedEvent(id: "c2", providers: ["hosting", "mail"], firstName: "Борис")
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(card), messageID: "card-c2", type: "client.updated",
                                                                  userID: url.user)])
            #expect(try eventually(timeout: .seconds(10)) { try billing.count("SELECT COUNT(*) FROM billing_client") == 2 })
            let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
            for (provider, isDefault) in [("hosting", true), ("mail", false)] {
                _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: provider, name: provider,
                                                                                currency: "RUB", isDefault: isDefault), as: BillingProvider.self)
            }

            // c2's mail account (a service, an expense) and an offer; c1 has no mail account.
            _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c2", providerID: "mail", accountID: "m2",
                                                                      postpay: true), as: BillingAccount.self)
            _ = try op.ask("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "m2", serviceID: "box", name: "Ящик",
                                                                    price: Money(amount: 100, currency: "RUB")), as: BillingServiceView.self)
            _ = try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: "m2", amount: Money(amount: 70, currency: "RUB"),
                                                                          date: Date()), as: BillingExpense.self)
            let lines = [BillingOfferCreate.Line(description: "Почта", quantity: 1, unitPrice: Money(amount: 5_000, currency: "RUB"))]
            let offer = try op.ask("billing.offer.create", BillingOfferCreate(storeID: "s1", clientID: "c2", providerID: "mail",
                                                                              currency: "RUB", lines: lines), as: BillingOffer.self)
            func owned(_ client: String) throws -> (accounts: [String], offers: [String]) {
                (try op.ask("billing.account.list", BillingAccountList(storeID: "s1", clientID: client), as: BillingAccountListResult.self)
                    .accounts.map(\.accountID),
                 try op.ask("billing.offer.list", BillingOfferList(storeID: "s1", clientID: client), as: BillingOfferListResult.self)
                    .offers.map(\.offerID))
            }
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(ClientMerged(
                storeID: "s1", survivorID: "c1", mergedIDs: ["c2"], mergedAt: Date())), messageID: "merge-c2", type: "client.merged")])
            #expect(try eventually(timeout: .seconds(10)) { try owned("c1").accounts == ["m2"] })
            #expect(try owned("c1").offers == [offer.offerID] && owned("c2") == ([], []))
            let moved = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "m2"), as: BillingAccount.self)
            #expect(moved.clientID == "c1" && moved.balance.amount == -70 && moved.servicesActive == 1, "its ledger and services with it")
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(ClientUnmerged(
                storeID: "s1", survivorID: "c1", restoredIDs: ["c2"], unmergedAt: Date())), messageID: "unmerge-c2", type: "client.unmerged")])
            #expect(try eventually(timeout: .seconds(10)) { try owned("c2").accounts == ["m2"] })
            #expect(try owned("c2").offers == [offer.offerID] && owned("c1") == ([], []))
            #expect(try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "m2"), as: BillingAccount.self)
                .balance.amount == -70)

            // Deferment of 3 days, block after 5: overdue after the 3rd day, blocked only after the 5th.
            for (account, deferment) in [("d1", "days"), ("u1", "unlimited")] {
                _ = try op.ask("billing.account.open", BillingAccountOpen(
                    storeID: "s1", clientID: "c1", providerID: "hosting", accountID: account, postpay: true, deferment: deferment,
                    defermentDays: deferment == "days" ? 3 : nil, blockAfterDays: deferment == "days" ? 5 : nil, active: account == "d1"),
                               as: BillingAccount.self)
                _ = try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: account, expenseID: "e-\(account)",
                                                                              amount: Money(amount: 900, currency: "RUB"), date: Date()),
                               as: BillingExpense.self)
                let payment = try op.ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: account,
                                                                                        paymentID: "p-\(account)", expenseIDs: ["e-\(account)"]),
                                         as: BillingPayment.self)
                #expect((payment.blockAt != nil) == (deferment == "days"), "\(deferment): a block-after deadline only when counted in days")
            }
            try billing.worker.storage.write { db in
                _ = try db.execute("UPDATE billing_payment SET due_at = ? WHERE payment_id = 'p-d1'", [Date().addingTimeInterval(-86_400)])
            }
            var late = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "d1"), as: BillingAccount.self)
            #expect(late.overdue.amount == 900 && !late.blocked, "overdue, not blocked before its block-after day")
            #expect(try tap.collect(1, timeout: .seconds(1)).isEmpty, "five timer turns: nothing to block")
            try billing.worker.storage.write { db in
                _ = try db.execute("UPDATE billing_payment SET block_at = ? WHERE payment_id IN ('p-d1', 'p-u1')", [Date().addingTimeInterval(-1)])
            }
            let blocked = try tap.collect(2, timeout: .seconds(5))
            let accounts = try blocked.map { try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body).accountID }
            #expect(accounts == ["d1"], "blocked once; the unlimited account is never overdue")
            late = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "d1"), as: BillingAccount.self)
            #expect(late.blocked && late.blockedReason == "overdue")
            #expect(try !op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "u1"), as: BillingAccount.self).blocked)

            // A referrer's payout of 300 from c2's prepaid account (balance 0) blocks it.
            _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c2", providerID: "hosting", accountID: "r2"),
                           as: BillingAccount.self)
            let payout = try op.ask("billing.withdrawal.create", BillingWithdrawalCreate(
                storeID: "s1", accountID: "r2", amount: Money(amount: 300, currency: "RUB"), reason: "referrer_payout",
                description: "за c1"), as: BillingWithdrawal.self)
            #expect(payout.balance.amount == -300)
            let event = try #require(try tap.collect(1, timeout: .seconds(5)).first)
            let payoutBlock = try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: event.body)
            #expect(event.type == "billing.account.blocked" && payoutBlock.accountID == "r2" && payoutBlock.reason == "credit_limit")
            #expect(try billing.count("SELECT COUNT(*) FROM billing_ledger WHERE kind = 'withdrawal' AND note LIKE 'referrer_payout%'") == 1)
        }
    }
}
