import Contracts
import Foundation
import SQLStore

/// The content of a document from the tables: an offer's lines as priced, a payment's expenses as
/// the ledger holds them. Names come from billing's copy of the client cards and the providers.
enum DocumentSources {
    static func offer(_ db: SQLDatabase, _ offer: BillingOffer, kind: BillingDocument.Kind, number: String, date: Date,
                      locale: BillingDocumentRender.Locale) throws -> BillingDocumentContent {
        let words = DocumentWords(locale: locale)
        var note: String?
        if kind == .offer, let validUntil = offer.validUntil {
            note = (locale == .ru ? "Предложение действует до " : "Valid until ") + words.dateText(validUntil)
        }
        return BillingDocumentContent(
            kind: kind, number: number, date: date,
            seller: try ClientNames.provider(db, storeID: offer.storeID, providerID: offer.providerID),
            buyer: try ClientNames.client(db, storeID: offer.storeID, clientID: offer.clientID),
            currency: offer.total.currency,
            lines: offer.lines.map { line in
                .init(description: line.description, quantity: line.quantity, unitPrice: line.unitPrice, amount: line.amount.amount,
                      discount: line.discount.amount, tax: line.tax.amount, total: line.total.amount)
            },
            subtotal: offer.subtotal.amount, discount: offer.discount.amount, tax: offer.tax.amount, total: offer.total.amount,
            note: note)
    }

    /// A payment's invoice: its expenses as the ledger recorded them (the core's `billing_expense`),
    /// and the payment's own amount as the total due.
    static func payment(_ db: SQLDatabase, _ payment: PaymentRecord, number: String, date: Date,
                        locale: BillingDocumentRender.Locale) throws -> BillingDocumentContent {
        var lines: [BillingDocumentContent.Line] = []
        for id in payment.expenseIDs {
            guard let row = try db.row("""
                SELECT description, product_type, original_amount, original_currency, converted_amount, discount, tax, total
                FROM billing_expense WHERE expense_id = ? AND store_id = ?
                """, [id, payment.storeID]) else { continue }
            let description: String? = row["description"]
            let productType: String? = row["product_type"]
            lines.append(.init(description: description ?? productType ?? id, quantity: 1,
                               unitPrice: Money(amount: row["original_amount"], currency: row["original_currency"]),
                               amount: row["converted_amount"], discount: row["discount"], tax: row["tax"], total: row["total"]))
        }
        let words = DocumentWords(locale: locale)
        let linesTotal = lines.reduce(Int64(0)) { $0 + $1.total }
        var note: String?
        if linesTotal != payment.amount {
            note = (locale == .ru ? "Сумма платежа: " : "Payment amount: ") + words.money(payment.amount, payment.currency)
                + (locale == .ru ? " из " : " of ") + words.money(linesTotal, payment.currency)
        }
        return BillingDocumentContent(
            kind: .invoice, number: number, date: date,
            seller: try ClientNames.provider(db, storeID: payment.storeID, providerID: payment.providerID),
            buyer: try ClientNames.client(db, storeID: payment.storeID, clientID: payment.clientID),
            currency: payment.currency, lines: lines,
            subtotal: lines.reduce(0) { $0 + $1.amount }, discount: lines.reduce(0) { $0 + $1.discount },
            tax: lines.reduce(0) { $0 + $1.tax }, total: payment.amount, note: note)
    }
}

/// A payment as an invoice needs it, from the core's `billing_payment` and `billing_account`.
struct PaymentRecord {
    var paymentID: String
    var storeID: String
    var accountID: String
    var clientID: String
    var providerID: String
    var amount: Int64
    var currency: String
    var expenseIDs: [String]

    static func load(_ db: SQLDatabase, storeID: String, paymentID: String) throws -> PaymentRecord {
        guard let row = try db.row("""
            SELECT p.payment_id, p.account_id, p.amount, p.currency, p.expense_ids, a.client_id, a.provider_id
            FROM billing_payment p JOIN billing_account a ON a.account_id = p.account_id
            WHERE p.payment_id = ? AND p.store_id = ?
            """, [paymentID, storeID]) else {
            throw ErrorBody(code: .notFound, message: "store \(storeID) has no payment \(paymentID)")
        }
        return PaymentRecord(paymentID: row["payment_id"], storeID: storeID, accountID: row["account_id"], clientID: row["client_id"],
                             providerID: row["provider_id"], amount: row["amount"], currency: row["currency"],
                             expenseIDs: PersonalTerms.types(row["expense_ids"]))
    }
}

/// A document's content in the format asked for.
enum DocumentRendering {
    static func document(_ content: BillingDocumentContent, kind: BillingDocument.Kind, invoiceID: String? = nil,
                         paymentID: String? = nil, offerID: String? = nil, clientID: String,
                         format: BillingDocumentRender.Format, locale: BillingDocumentRender.Locale) throws -> BillingDocument {
        var document = BillingDocument(
            kind: kind, number: content.number, invoiceID: invoiceID, paymentID: paymentID, offerID: offerID, clientID: clientID,
            total: Money(amount: content.total, currency: content.currency), format: format, locale: locale,
            filename: content.filename(format), contentType: format == .pdf ? "application/pdf" : "text/html; charset=utf-8")
        switch format {
        case .html: document.html = DocumentHTML.render(content, locale: locale)
        case .pdf: document.pdfBase64 = try pdf(content, locale: locale).base64EncodedString()
        }
        return document
    }

    static func pdf(_ content: BillingDocumentContent, locale: BillingDocumentRender.Locale) throws -> Data {
        do {
            return try DocumentPDF.render(content, locale: locale)
        } catch {
            throw ErrorBody(code: .internal, message: "the PDF of \(content.number) could not be made: \(error)")
        }
    }
}
