import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite.BillingRulesThroughBrokerTests {
    /// Shop orders for a client with no account (a postpay one opens with the default
    /// provider), reversed by `returned`/`canceled`/`refused` whatever the order of their events;
    /// `client.merged` joins the ledgers with an entry saying so and `client.unmerged` gives
    /// them back; offers move new → accepted → paid (an expense and a payment through the
    /// ledger) or → rejected; a payment's invoice renders as HTML and `send` publishes it.
    @Test func ordersMergesOffersAndPaymentInvoicesThroughTheBroker() async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
            let op = try Self.ready(url, billing, clients: ["c1", "c2"])
            let tap = try EventTap(url: url, keys: ["billing.invoice.issued"])
            _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                            currency: "RUB", isDefault: true), as: BillingProvider.self)
            let at = { (seconds: Double) in Date(timeIntervalSince1970: 1_780_000_000 + seconds) }
            func attributed(_ id: String) -> AMQPMessage {
                AMQPMessage(body: Self.body(OrderAttributed(storeID: "s1", orderID: id, clientID: "c1", placedAt: at(0),
                                                            total: Money(amount: 700, currency: "RUB"), paymentMethod: .card, matchedBy: .phone)),
                            messageID: "attr-\(id)", type: "order.attributed")
            }
            func status(_ id: String, _ status: OrderStatus, _ seconds: Double) -> AMQPMessage {
                AMQPMessage(body: Self.body(OrderStatusChanged(storeID: "s1", orderID: id, status: status, changedAt: at(seconds))),
                            messageID: "status-\(id)-\(status.rawValue)", type: "order.status_changed")
            }
            // o1 paid then returned; o2 canceled before it is attributed; o3 refused, then an older "paid".
            try ConfirmedPublisher(url: url).publish([
                attributed("o1"), status("o1", .paid, 10), status("o1", .returned, 20),
                status("o2", .canceled, 20), attributed("o2"),
                attributed("o3"), status("o3", .refused, 30), status("o3", .paid, 10),
            ])
            #expect(try eventually(timeout: .seconds(10)) {
                try billing.count("SELECT COUNT(*) FROM inbox WHERE type IN ('order.attributed', 'order.status_changed')") == 8
            })
            let opened = try op.ask("billing.account.list", BillingAccountList(storeID: "s1", clientID: "c1"), as: BillingAccountListResult.self)
            #expect(opened.accounts.count == 1 && opened.accounts[0].postpay && opened.accounts[0].providerID == "hosting")
            let a1 = try #require(opened.accounts.first).accountID
            #expect(try billing.count("SELECT COUNT(*) FROM billing_expense WHERE NOT deleted") == 0, "every order reversed")
            #expect(try billing.count("SELECT COUNT(*) FROM billing_payment WHERE state = 'reversed'") == 1)
            #expect(try billing.count("SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE account_id = '\(a1)'") == 0)

            // c2 is merged into c1: one provider, so b1's ledger joins a1's; then the merge is undone.
            _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c2", providerID: "hosting", accountID: "b1",
                                                                      postpay: true), as: BillingAccount.self)
            for (account, amount) in [(a1, 100), ("b1", 40)] {
                _ = try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: account,
                                                                              amount: Money(amount: Int64(amount), currency: "RUB"), date: Date()),
                               as: BillingExpense.self)
            }
            let merged = ClientMerged(storeID: "s1", survivorID: "c1", mergedIDs: ["c2"], mergedAt: Date())
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(merged), messageID: "merge-1", type: "client.merged")])
            #expect(try eventually(timeout: .seconds(10)) {
                try billing.count("SELECT COUNT(*) FROM billing_account WHERE account_id = 'b1' AND joined_into = '\(a1)'") == 1
            })
            #expect(try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: a1), as: BillingAccount.self).balance.amount == -140)
            #expect(try billing.count("SELECT COUNT(*) FROM billing_ledger WHERE kind = 'merge_joined' AND account_id = '\(a1)'") == 1)
            let unmerged = ClientUnmerged(storeID: "s1", survivorID: "c1", restoredIDs: ["c2"], unmergedAt: Date())
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(unmerged), messageID: "unmerge-1", type: "client.unmerged")])
            #expect(try eventually(timeout: .seconds(10)) {
                try billing.count("SELECT COUNT(*) FROM billing_account WHERE account_id = 'b1' AND joined_into IS NULL") == 1
            })
            #expect(try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: a1), as: BillingAccount.self).balance.amount == -100)
            #expect(try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "b1"), as: BillingAccount.self).balance.amount == -40)

            // Offers: one rejected (and then not accepted), one accepted and paid through the ledger.
            let lines = [BillingOfferCreate.Line(description: "Настройка", quantity: 1, unitPrice: Money(amount: 250_000, currency: "RUB"))]
            let create = BillingOfferCreate(storeID: "s1", clientID: "c1", providerID: "hosting", currency: "RUB", title: "Сервер", lines: lines)
            let first = try op.ask("billing.offer.create", create, as: BillingOffer.self)
            let second = try op.ask("billing.offer.create", create, as: BillingOffer.self)
            #expect(first.state == .new && second.number != first.number)
            let quote = try op.ask("billing.offer.render", BillingDocumentRender(storeID: "s1", offerID: first.offerID, format: .html, locale: .ru),
                                   as: BillingDocument.self)
            #expect(quote.kind == .offer && quote.total == first.total && quote.html?.contains("Настройка") == true)
            let rejected = try op.ask("billing.offer.reject", BillingOfferAction(storeID: "s1", offerID: second.offerID, reason: "Дорого"),
                                      as: BillingOffer.self)
            #expect(rejected.state == .rejected && rejected.reason == "Дорого")
            #expect(try op.refusal("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: second.offerID))?.code == .conflict)
            #expect(try op.refusal("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: first.offerID))?.code == .conflict,
                    "paid only once accepted")
            #expect(try op.ask("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: first.offerID), as: BillingOffer.self).state == .accepted)
            let paid = try op.ask("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: first.offerID), as: BillingOffer.self)
            let paymentID = try #require(paid.paymentID)
            #expect(paid.state == .paid && paid.expenseID != nil)
            let account = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: a1), as: BillingAccount.self)
            #expect(account.balance.amount == -100 && account.turnoverYear.amount == 100 + 250_000, "its expense and its payment")

            // The payment's invoice as HTML, then sent: billing.invoice.issued with the PDF.
            let html = try op.ask("billing.invoice.render", BillingDocumentRender(storeID: "s1", paymentID: paymentID, format: .html, locale: .ru),
                                  as: BillingDocument.self)
            #expect(html.kind == .invoice && html.total == paid.total && html.html?.contains(html.number) == true)
            #expect(html.html?.contains("Сервер") == true, "the expense's line")
            _ = try op.ask("billing.invoice.send", BillingInvoiceSend(storeID: "s1", paymentID: paymentID, locale: .ru), as: BillingInvoiceSent.self)
            let event = try #require(try tap.collect(1, timeout: .seconds(10)).first)
            let issued = try JSONCoding.decoder.decode(BillingInvoiceIssued.self, from: event.body)
            #expect(issued.number == html.number && issued.total == paid.total && issued.accountID == a1)
            #expect(Data(base64Encoded: issued.pdfBase64)?.starts(with: Data("%PDF-".utf8)) == true)
        }
    }
}
