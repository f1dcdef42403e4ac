import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.invoice.render` and `billing.invoice.send`: the invoice of a payment or of an offer.
/// The first of them issues it (a per-store number, kept in `billing_invoice`); later ones print
/// the same number and date. `send` publishes `billing.invoice.issued` with the PDF.
enum InvoiceHandlers {
    static func render(_ db: SQLDatabase, _ command: BillingDocumentRender, _ context: HandlerContext) throws -> BillingDocument {
        let invoice = try issue(db, storeID: command.storeID, paymentID: command.paymentID, offerID: command.offerID,
                                locale: command.locale, context: context)
        return try DocumentRendering.document(invoice.content, kind: .invoice, invoiceID: invoice.invoiceID,
                                              paymentID: command.paymentID, offerID: command.offerID, clientID: invoice.clientID,
                                              format: command.format, locale: command.locale)
    }

    static func send(_ db: SQLDatabase, _ command: BillingInvoiceSend, _ context: HandlerContext) throws -> BillingInvoiceSent {
        let invoice = try issue(db, storeID: command.storeID, paymentID: command.paymentID, offerID: command.offerID,
                                locale: command.locale, context: context)
        guard let accountID = invoice.accountID else {
            throw ErrorBody(code: .conflict, message: "client \(invoice.clientID) has no open account with the offer's provider: open one first")
        }
        let pdf = try DocumentRendering.pdf(invoice.content, locale: command.locale)
        let total = Money(amount: invoice.content.total, currency: invoice.content.currency)
        let filename = invoice.content.filename(.pdf)
        try context.publish(event: BillingInvoiceIssued(
            storeID: command.storeID, clientID: invoice.clientID, accountID: accountID, invoiceID: invoice.invoiceID,
            number: invoice.content.number, total: total, locale: command.locale.rawValue, filename: filename,
            pdfBase64: pdf.base64EncodedString(), issuedAt: context.now), type: "billing.invoice.issued")
        try db.execute("UPDATE billing_invoice SET sent_at = ? WHERE invoice_id = ?", [context.now, invoice.invoiceID])
        return BillingInvoiceSent(invoiceID: invoice.invoiceID, number: invoice.content.number, total: total, filename: filename,
                                  issuedAt: invoice.issuedAt)
    }

    struct Issued {
        var invoiceID: String
        var clientID: String
        var accountID: String?
        var issuedAt: Date
        var content: BillingDocumentContent
    }

    static func issue(_ db: SQLDatabase, storeID: String, paymentID: String?, offerID: String?,
                      locale: BillingDocumentRender.Locale, context: HandlerContext) throws -> Issued {
        switch (paymentID, offerID) {
        case (let paymentID?, nil):
            let payment = try PaymentRecord.load(db, storeID: storeID, paymentID: paymentID)
            let row = try invoiceRow(db, storeID: storeID, kind: "payment", sourceID: paymentID, clientID: payment.clientID,
                                     accountID: payment.accountID, total: Money(amount: payment.amount, currency: payment.currency),
                                     context: context)
            let content = try DocumentSources.payment(db, payment, number: row.number, date: row.issuedAt, locale: locale)
            return Issued(invoiceID: row.id, clientID: payment.clientID, accountID: payment.accountID, issuedAt: row.issuedAt, content: content)
        case (nil, let offerID?):
            let offer = try OfferStore.load(db, storeID: storeID, offerID: offerID)
            guard offer.state != .rejected else {
                throw ErrorBody(code: .conflict, message: "offer \(offer.number) was rejected: it has no invoice")
            }
            let account = try ClientNames.account(db, storeID: storeID, clientID: offer.clientID, providerID: offer.providerID)
            let row = try invoiceRow(db, storeID: storeID, kind: "offer", sourceID: offerID, clientID: offer.clientID,
                                     accountID: account?.id, total: offer.total, context: context)
            let content = try DocumentSources.offer(db, offer, kind: .invoice, number: row.number, date: row.issuedAt, locale: locale)
            return Issued(invoiceID: row.id, clientID: offer.clientID, accountID: account?.id, issuedAt: row.issuedAt, content: content)
        default:
            throw ErrorBody.validationFailed([ErrorDetail(field: "payment_id", problem: "one_of_payment_id_offer_id")],
                                             message: "payment_id: name exactly one of payment_id and offer_id")
        }
    }

    /// The invoice of a source, issued now if it has none yet (its total follows the source's).
    private static func invoiceRow(_ db: SQLDatabase, storeID: String, kind: String, sourceID: String, clientID: String,
                                   accountID: String?, total: Money, context: HandlerContext) throws -> (id: String, number: String, issuedAt: Date) {
        if let row = try db.row("""
            SELECT invoice_id, number, issued_at FROM billing_invoice WHERE store_id = ? AND source_kind = ? AND source_id = ?
            """, [storeID, kind, sourceID]) {
            let id: String = row["invoice_id"]
            try db.execute("UPDATE billing_invoice SET total = ?, currency = ?, account_id = COALESCE(?, account_id) WHERE invoice_id = ?",
                           [total.amount, total.currency, accountID, id])
            return (id, row["number"], row["issued_at"])
        }
        let id = TermValidation.newID("inv")
        let number = try DocumentCounter.next(db, storeID: storeID, kind: .invoice)
        try db.execute("""
            INSERT INTO billing_invoice (invoice_id, store_id, number, source_kind, source_id, client_id, account_id, currency, total,
                issued_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, storeID, number, kind, sourceID, clientID, accountID, total.currency, total.amount, context.now,
                  context.sender.userID])
        return (id, number, context.now)
    }
}
