import Foundation

/// `billing.offer.create`: an offer to a client with one provider, in `currency` (the account's).
public struct BillingOfferCreate: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var description: String
        public var productType: String?
        public var quantity: Int
        public var unitPrice: Money

        public init(description: String, productType: String? = nil, quantity: Int, unitPrice: Money) {
            self.description = description
            self.productType = productType
            self.quantity = quantity
            self.unitPrice = unitPrice
        }

        enum CodingKeys: String, CodingKey { case description, productType = "product_type", quantity, unitPrice = "unit_price" }
    }

    public var storeID: String
    public var clientID: String
    public var providerID: String
    public var currency: String
    public var title: String?
    public var validUntil: Date?
    public var lines: [Line]

    public init(storeID: String, clientID: String, providerID: String, currency: String, title: String? = nil,
                validUntil: Date? = nil, lines: [Line]) {
        self.storeID = storeID
        self.clientID = clientID
        self.providerID = providerID
        self.currency = currency
        self.title = title
        self.validUntil = validUntil
        self.lines = lines
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", providerID = "provider_id", currency, title
        case validUntil = "valid_until", lines
    }
}

/// `billing.offer.accept`, `billing.offer.reject` (with an optional reason), `billing.offer.pay`.
public struct BillingOfferAction: Codable, Sendable, Equatable {
    public var storeID: String
    public var offerID: String
    public var reason: String?

    public init(storeID: String, offerID: String, reason: String? = nil) {
        self.storeID = storeID
        self.offerID = offerID
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", offerID = "offer_id", reason }
}

/// `billing.offer.list`: a store's offers, newest first, of one client and/or in one state.
public struct BillingOfferList: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String?
    public var state: BillingOffer.State?
    public var limit: Int?

    public init(storeID: String, clientID: String? = nil, state: BillingOffer.State? = nil, limit: Int? = nil) {
        self.storeID = storeID
        self.clientID = clientID
        self.state = state
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", state, limit }
}

/// The answer to `billing.offer.list`.
public struct BillingOfferListResult: Codable, Sendable, Equatable {
    public var offers: [BillingOffer]

    public init(offers: [BillingOffer]) { self.offers = offers }
}
