import Foundation

/// An offer (quote) to a client (schemas/billing.offer.schema.json): lines priced with the
/// client's personal terms when it was made, in the account's currency. States: new → accepted
/// or rejected; accepted → paid (an expense and its payment on the account).
public struct BillingOffer: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case new, accepted, rejected, paid }

    public struct Line: Codable, Sendable, Equatable {
        public var lineNo: Int
        public var description: String
        public var productType: String?
        public var quantity: Int
        /// As given (any currency the client has a personal rate for).
        public var unitPrice: Money
        /// quantity × unit price, in the offer's currency.
        public var amount: Money
        public var discount: Money
        public var tax: Money
        public var total: Money

        public init(lineNo: Int, description: String, productType: String?, quantity: Int, unitPrice: Money, amount: Money,
                    discount: Money, tax: Money, total: Money) {
            self.lineNo = lineNo
            self.description = description
            self.productType = productType
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.amount = amount
            self.discount = discount
            self.tax = tax
            self.total = total
        }

        enum CodingKeys: String, CodingKey {
            case lineNo = "line_no", description, productType = "product_type", quantity, unitPrice = "unit_price"
            case amount, discount, tax, total
        }
    }

    public var offerID: String
    public var storeID: String
    public var number: String
    public var clientID: String
    public var providerID: String
    public var state: State
    public var title: String?
    public var validUntil: Date?
    public var lines: [Line]
    public var subtotal: Money
    public var discount: Money
    public var tax: Money
    public var total: Money
    public var expenseID: String?
    public var paymentID: String?
    public var reason: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(offerID: String, storeID: String, number: String, clientID: String, providerID: String, state: State,
                title: String?, validUntil: Date?, lines: [Line], subtotal: Money, discount: Money, tax: Money, total: Money,
                expenseID: String? = nil, paymentID: String? = nil, reason: String? = nil, createdAt: Date, updatedAt: Date) {
        self.offerID = offerID
        self.storeID = storeID
        self.number = number
        self.clientID = clientID
        self.providerID = providerID
        self.state = state
        self.title = title
        self.validUntil = validUntil
        self.lines = lines
        self.subtotal = subtotal
        self.discount = discount
        self.tax = tax
        self.total = total
        self.expenseID = expenseID
        self.paymentID = paymentID
        self.reason = reason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case offerID = "offer_id", storeID = "store_id", number, clientID = "client_id", providerID = "provider_id", state, title
        case validUntil = "valid_until", lines, subtotal, discount, tax, total, expenseID = "expense_id", paymentID = "payment_id"
        case reason, createdAt = "created_at", updatedAt = "updated_at"
    }
}
