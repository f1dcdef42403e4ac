import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing
import WorkerKit

/// Offers paid through the core's ledger, and the invoices of payments, on both engines: the
/// printed amounts are the ledger's to the minor unit, and `billing.invoice.send` publishes the PDF.
@Suite struct PaidDocumentTests {
    /// Store s1, provider `hosting` (RUB), client c1 (Анна Петрова) connected to it with an open account.
    static func ready(_ engine: TestEngine) throws -> (BillingHarness, BillingAccount) {
        var h = try BillingHarness(engine: engine)
        try h.provider()
        try h.clientCreated(store: "s1", clientID: "c1", firstName: "Анна", lastName: "Петрова", providers: ["hosting"])
        let account = try h.open(postpay: true)
        return (h, account)
    }

    @Test(arguments: TestEngine.all) func anAcceptedOfferIsPaidThroughTheLedger(engine: TestEngine) throws {
        var (h, account) = try Self.ready(engine)
        try OfferTests.terms(&h, provider: "hosting")
        let offer = try h.result("billing.offer.create", OfferTests.create(provider: "hosting"), as: BillingOffer.self)
        #expect(try h.ask("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: offer.offerID)).error?.code == .conflict,
                "a new offer is accepted first")
        _ = try h.result("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: offer.offerID), as: BillingOffer.self)
        let paid = try h.result("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: offer.offerID), as: BillingOffer.self)
        #expect(paid.state == .paid && paid.expenseID != nil && paid.paymentID != nil)
        // The expense keeps the offer's prices (terms not applied twice); the payment settles it.
        #expect(try h.value("SELECT total FROM billing_expense WHERE expense_id = ?", [paid.expenseID!], as: Int64.self) == 1_547_400)
        #expect(try h.value("SELECT tax FROM billing_expense WHERE expense_id = ?", [paid.expenseID!], as: Int64.self) == 257_900)
        #expect(try h.value("SELECT state FROM billing_payment WHERE payment_id = ?", [paid.paymentID!], as: String.self) == "paid")
        #expect(try h.ledgerSum(account.accountID) == 0)
        // Paying twice answers the same and moves nothing.
        #expect(try h.result("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: offer.offerID), as: BillingOffer.self) == paid)
        #expect(try h.count("SELECT COUNT(*) FROM billing_ledger") == 2)
        // A paid offer is not rejected.
        #expect(try h.ask("billing.offer.reject", BillingOfferAction(storeID: "s1", offerID: offer.offerID)).error?.code == .conflict)

        // Without an account with the provider: refused, nothing written.
        let other = try h.result("billing.offer.create", OfferTests.create(provider: "p9"), as: BillingOffer.self)
        _ = try h.result("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: other.offerID), as: BillingOffer.self)
        #expect(try h.ask("billing.offer.pay", BillingOfferAction(storeID: "s1", offerID: other.offerID)).error?.code == .conflict)
        #expect(try h.count("SELECT COUNT(*) FROM billing_expense") == 1)
    }

    @Test(arguments: TestEngine.all) func aPaymentsInvoicePrintsTheLedger(engine: TestEngine) throws {
        var (h, account) = try Self.ready(engine)
        _ = try h.expense(account.accountID, 123_456, id: "e1")
        _ = try h.expense(account.accountID, 7_801, id: "e2")
        let payment = try h.pay(account.accountID, expenses: ["e1", "e2"])
        let document = try h.result("billing.invoice.render", BillingDocumentRender(storeID: "s1", paymentID: payment.paymentID, format: .pdf, locale: .ru),
                                    as: BillingDocument.self)
        let text = try PopplerTools.text(of: try PopplerTools.file(of: document))
        let ledgerPayment = try #require(try h.value("SELECT amount FROM billing_ledger WHERE kind = 'payment' AND ref_id = ?",
                                                     [payment.paymentID], as: Int64.self))
        #expect(ledgerPayment == 131_257 && document.total == Money(amount: ledgerPayment, currency: "RUB"))
        for printed in ["1 234,56 ₽", "78,01 ₽", "1 312,57 ₽", "Петрова Анна", "Хостинг", "Счёт № INV-000001"] {
            #expect(text.contains(printed), "\(printed) not in: \(text)")
        }

        let sent = try h.result("billing.invoice.send", BillingInvoiceSend(storeID: "s1", paymentID: payment.paymentID, locale: .en),
                                as: BillingInvoiceSent.self)
        #expect(sent.number == "INV-000001" && sent.invoiceID == document.invoiceID && sent.total.amount == ledgerPayment)
        let issued = try h.events("billing.invoice.issued", as: BillingInvoiceIssued.self)
        #expect(issued.count == 1)
        let event = try #require(issued.first)
        #expect(event.accountID == account.accountID && event.clientID == "c1" && event.locale == "en" && event.filename == "INV-000001.pdf")
        let pdf = try #require(Data(base64Encoded: event.pdfBase64))
        let english = try PopplerTools.text(of: try PopplerTools.write(pdf))
        #expect(english.contains("Invoice No. INV-000001") && english.contains("1,312.57 RUB"), "\(english)")
        #expect(try h.value("SELECT sent_at FROM billing_invoice", as: Date.self) != nil)
    }

    @Test(arguments: TestEngine.all) func anOfferInvoiceIsSentOnlyWithAnAccount(engine: TestEngine) throws {
        var (h, account) = try Self.ready(engine)
        let offer = try h.result("billing.offer.create", OfferTests.create(provider: "hosting"), as: BillingOffer.self)
        let sent = try h.result("billing.invoice.send", BillingInvoiceSend(storeID: "s1", offerID: offer.offerID, locale: .ru),
                                as: BillingInvoiceSent.self)
        #expect(sent.total == offer.total)
        #expect(try h.events("billing.invoice.issued", as: BillingInvoiceIssued.self).map(\.accountID) == [account.accountID])
        let elsewhere = try h.result("billing.offer.create", OfferTests.create(provider: "p9"), as: BillingOffer.self)
        #expect(try h.ask("billing.invoice.send", BillingInvoiceSend(storeID: "s1", offerID: elsewhere.offerID, locale: .ru))
            .error?.code == .conflict)
        #expect(try h.events("billing.invoice.issued", as: BillingInvoiceIssued.self).count == 1)
    }
}
