import Foundation

/// `billing.invoice.render` (a payment's or an offer's invoice) and `billing.offer.render` (the
/// offer itself): exactly one of `payment_id` / `offer_id`.
public struct BillingDocumentRender: Codable, Sendable, Equatable {
    public enum Format: String, Codable, Sendable { case html, pdf }
    public enum Locale: String, Codable, Sendable { case ru, en }

    public var storeID: String
    public var paymentID: String?
    public var offerID: String?
    public var format: Format
    public var locale: Locale

    public init(storeID: String, paymentID: String? = nil, offerID: String? = nil, format: Format, locale: Locale) {
        self.storeID = storeID
        self.paymentID = paymentID
        self.offerID = offerID
        self.format = format
        self.locale = locale
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", paymentID = "payment_id", offerID = "offer_id", format, locale }
}

/// A rendered document (schemas/billing.document.schema.json): HTML as text, or a PDF in base64.
public struct BillingDocument: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case invoice, offer }

    public var kind: Kind
    public var number: String
    public var invoiceID: String?
    public var paymentID: String?
    public var offerID: String?
    public var clientID: String
    public var total: Money
    public var format: BillingDocumentRender.Format
    public var locale: BillingDocumentRender.Locale
    public var filename: String
    public var contentType: String
    public var html: String?
    public var pdfBase64: String?

    public init(kind: Kind, number: String, invoiceID: String? = nil, paymentID: String? = nil, offerID: String? = nil,
                clientID: String, total: Money, format: BillingDocumentRender.Format, locale: BillingDocumentRender.Locale,
                filename: String, contentType: String, html: String? = nil, pdfBase64: String? = nil) {
        self.kind = kind
        self.number = number
        self.invoiceID = invoiceID
        self.paymentID = paymentID
        self.offerID = offerID
        self.clientID = clientID
        self.total = total
        self.format = format
        self.locale = locale
        self.filename = filename
        self.contentType = contentType
        self.html = html
        self.pdfBase64 = pdfBase64
    }

    enum CodingKeys: String, CodingKey {
        case kind, number, invoiceID = "invoice_id", paymentID = "payment_id", offerID = "offer_id", clientID = "client_id"
        case total, format, locale, filename, contentType = "content_type", html, pdfBase64 = "pdf_base64"
    }
}

/// `billing.invoice.send`: issues the invoice and publishes `billing.invoice.issued` with the PDF.
public struct BillingInvoiceSend: Codable, Sendable, Equatable {
    public var storeID: String
    public var paymentID: String?
    public var offerID: String?
    public var locale: BillingDocumentRender.Locale

    public init(storeID: String, paymentID: String? = nil, offerID: String? = nil, locale: BillingDocumentRender.Locale) {
        self.storeID = storeID
        self.paymentID = paymentID
        self.offerID = offerID
        self.locale = locale
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", paymentID = "payment_id", offerID = "offer_id", locale }
}

/// The answer to `billing.invoice.send` (schemas/billing.invoice.sent.schema.json).
public struct BillingInvoiceSent: Codable, Sendable, Equatable {
    public var invoiceID: String
    public var number: String
    public var total: Money
    public var filename: String
    public var issuedAt: Date

    public init(invoiceID: String, number: String, total: Money, filename: String, issuedAt: Date) {
        self.invoiceID = invoiceID
        self.number = number
        self.total = total
        self.filename = filename
        self.issuedAt = issuedAt
    }

    enum CodingKeys: String, CodingKey { case invoiceID = "invoice_id", number, total, filename, issuedAt = "issued_at" }
}
