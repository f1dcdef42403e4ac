import Foundation

/// `billing.invoice.issued` (schemas/billing.invoice.issued.schema.json): an invoice sent to the
/// client; notification-service e-mails it with the PDF attached.
public struct BillingInvoiceIssued: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var accountID: String
    public var invoiceID: String
    /// The number printed on the invoice.
    public var number: String
    public var total: Money
    /// `ru` or `en`: the language the invoice is printed in.
    public var locale: String
    public var filename: String
    /// The PDF in standard base64.
    public var pdfBase64: String
    public var issuedAt: Date

    public init(storeID: String, clientID: String, accountID: String, invoiceID: String, number: String, total: Money,
                locale: String, filename: String, pdfBase64: String, issuedAt: Date) {
        self.storeID = storeID
        self.clientID = clientID
        self.accountID = accountID
        self.invoiceID = invoiceID
        self.number = number
        self.total = total
        self.locale = locale
        self.filename = filename
        self.pdfBase64 = pdfBase64
        self.issuedAt = issuedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", accountID = "account_id", invoiceID = "invoice_id"
        case number, total, locale, filename, pdfBase64 = "pdf_base64", issuedAt = "issued_at"
    }
}
