import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing
import WorkerKit

/// Invoices and offers as documents, on both engines. The PDF is read back by poppler
/// (`pdftotext`, `pdftoppm`): the client's name in Cyrillic, every line and the totals as the
/// tables hold them, to the minor unit.
@Suite struct InvoiceDocumentTests {
    @Test(arguments: TestEngine.all) func theOfferInvoicePDFSaysWhatTheTablesHold(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        try h.clientCreated(store: "s1", clientID: "c1", firstName: "Анна", lastName: "Петрова")
        try OfferTests.terms(&h)
        let offer = try h.result("billing.offer.create", OfferTests.create(), as: BillingOffer.self)

        let document = try h.result("billing.invoice.render", BillingDocumentRender(storeID: "s1", offerID: offer.offerID, format: .pdf, locale: .ru),
                                    as: BillingDocument.self)
        #expect(document.kind == .invoice && document.number == "INV-000001" && document.filename == "INV-000001.pdf")
        #expect(document.total == offer.total && document.contentType == "application/pdf" && document.html == nil)
        let file = try PopplerTools.file(of: document)
        #expect(try Data(contentsOf: file).starts(with: Data("%PDF-".utf8)))
        let text = try PopplerTools.text(of: file)
        #expect(text.contains("Счёт № INV-000001"), "\(text)")
        #expect(text.contains("Петрова Анна"), "the client's name in Cyrillic: \(text)")
        // A long description wraps in its column: its words are there, on two lines.
        #expect(text.contains("Виртуальный сервер") && text.contains("месяцев") && text.contains("Настройка"), "\(text)")
        // Every line's amounts and the totals, as stored: 11 880,00 − 1 485,00 + 2 079,00 = 12 474,00 ₽ …
        for amount in ["990,00 ₽", "11 880,00 ₽", "1 485,00 ₽", "2 079,00 ₽", "12 474,00 ₽",
                       "2 500,00 ₽", "500,00 ₽", "3 000,00 ₽",
                       "14 380,00 ₽", "2 579,00 ₽", "15 474,00 ₽"] {
            #expect(text.contains(amount), "\(amount) not in: \(text)")
        }
        #expect(text.contains("Всего к оплате"))
        let png = try PopplerTools.png(of: file)
        #expect(png.starts(with: Data([0x89, 0x50, 0x4E, 0x47])) && png.count > 5_000, "a page with something on it: \(png.count) bytes")

        // Rendered again: the same number; an English HTML of the same invoice.
        let html = try h.result("billing.invoice.render", BillingDocumentRender(storeID: "s1", offerID: offer.offerID, format: .html, locale: .en),
                                as: BillingDocument.self)
        #expect(html.number == "INV-000001" && html.invoiceID == document.invoiceID && html.pdfBase64 == nil)
        let page = try #require(html.html)
        #expect(page.contains("Invoice No. INV-000001") && page.contains("Петрова Анна") && page.contains("15,474.00 RUB"))
        #expect(try h.count("SELECT COUNT(*) FROM billing_invoice") == 1)
    }

    @Test(arguments: TestEngine.all) func theOfferItselfPrintsAsAQuote(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        try h.clientCreated(store: "s1", clientID: "c1", firstName: "Ivan", lastName: "Smith")
        var create = OfferTests.create()
        create.validUntil = RFC3339.date(from: "2099-12-31T00:00:00Z")
        let offer = try h.result("billing.offer.create", create, as: BillingOffer.self)
        let document = try h.result("billing.offer.render", BillingDocumentRender(storeID: "s1", offerID: offer.offerID, format: .pdf, locale: .en),
                                    as: BillingDocument.self)
        #expect(document.kind == .offer && document.number == offer.number && document.filename == "Q-000001.pdf")
        let text = try PopplerTools.text(of: try PopplerTools.file(of: document))
        #expect(text.contains("Quote No. Q-000001") && text.contains("Smith Ivan") && text.contains("14,380.00 RUB") && text.contains("2099-12-31"), "\(text)")
        // Rendering an offer issues no invoice.
        #expect(try h.count("SELECT COUNT(*) FROM billing_invoice") == 0)
    }

    @Test(arguments: TestEngine.all) func badRequestsAreRefused(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let offer = try h.result("billing.offer.create", OfferTests.create(), as: BillingOffer.self)
        let neither = try h.ask("billing.invoice.render", BillingDocumentRender(storeID: "s1", format: .pdf, locale: .ru))
        #expect(neither.error?.code == .validationFailed && neither.error?.details.first?.field == "payment_id")
        let both = try h.ask("billing.invoice.render", BillingDocumentRender(storeID: "s1", paymentID: "pay-1", offerID: offer.offerID, format: .pdf, locale: .ru))
        #expect(both.error?.code == .validationFailed)
        #expect(try h.ask("billing.invoice.render", BillingDocumentRender(storeID: "s2", offerID: offer.offerID, format: .pdf, locale: .ru))
            .error?.code == .notFound)
        #expect(try h.ask("billing.invoice.render", BillingDocumentRender(storeID: "s1", paymentID: "pay-404", format: .pdf, locale: .ru))
            .error?.code == .notFound)
        // A rejected offer has no invoice.
        _ = try h.result("billing.offer.reject", BillingOfferAction(storeID: "s1", offerID: offer.offerID), as: BillingOffer.self)
        #expect(try h.ask("billing.invoice.render", BillingDocumentRender(storeID: "s1", offerID: offer.offerID, format: .html, locale: .ru))
            .error?.code == .conflict)
        #expect(try h.count("SELECT COUNT(*) FROM billing_invoice") == 0)
    }
}
