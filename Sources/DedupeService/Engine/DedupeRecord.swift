import Foundation

/// One client as matching sees it: the keys that may tie it to another card, already in the one
/// form they are compared in (phones E.164, e-mails as `EmailAddress.key`, INNs digits only), and
/// what the proposed card and the suggestions need. Built from the index (`IndexReader`) or by
/// the benchmark's generator; the engine never reads a database.
public struct DedupeRecord: Sendable, Equatable {
    public var clientID: String
    public var storeID: String
    public var accountID: String
    public var isCompany: Bool
    public var firstName: String?
    public var lastName: String?
    /// The card's own e-mail (what the survivor's card shows).
    public var email: String?
    /// The card's phones: phone, landline, extra phones (these count against the phone limit).
    public var phones: [String]
    /// The card's e-mail keys.
    public var emails: [String]
    /// Contact persons' phones and e-mails: they tie a company to another company whose contact
    /// persons share them (never to the contact person's own card), and are not the card's own.
    public var contactPhones: [String]
    public var contactEmails: [String]
    public var inns: [String]
    public var birthday: String?
    /// A normalized address line (city, street, house) for suggestions.
    public var address: String?
    /// A normalized company name for suggestions.
    public var company: String?
    /// Seconds since 1970: priority first/last.
    public var createdAt: Double

    public init(clientID: String, storeID: String, accountID: String? = nil, isCompany: Bool = false,
                firstName: String? = nil, lastName: String? = nil, email: String? = nil, phones: [String] = [],
                emails: [String] = [], contactPhones: [String] = [], contactEmails: [String] = [], inns: [String] = [], birthday: String? = nil,
                address: String? = nil, company: String? = nil, createdAt: Double = 0) {
        self.clientID = clientID
        self.storeID = storeID
        self.accountID = accountID ?? storeID
        self.isCompany = isCompany
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phones = phones
        self.emails = emails
        self.contactPhones = contactPhones
        self.contactEmails = contactEmails
        self.inns = inns
        self.birthday = birthday
        self.address = address
        self.company = company
        self.createdAt = createdAt
    }

    public var displayName: String {
        [firstName, lastName].compactMap { $0 }.joined(separator: " ")
    }
}

/// Evidence from outside the cards: an order whose phone pointed at one card and whose e-mail
/// (or the shop's user id) at another (`client.tie_recorded`), with its phone and e-mail values.
public struct DedupeTie: Sendable, Equatable {
    public var clientA: String
    public var clientB: String
    public var orderID: String
    /// The order's keys in their compared form: a tie through an excluded value counts for nothing.
    public var values: [String]

    public init(clientA: String, clientB: String, orderID: String, values: [String]) {
        self.clientA = clientA
        self.clientB = clientB
        self.orderID = orderID
        self.values = values
    }
}

public enum DedupeKeyKind: String, Codable, Sendable, CaseIterable {
    case phone, email, inn
    /// A contact person's phone.
    case contactPhone = "contact_phone"
    case contactEmail = "contact_email"
    /// An order tied the two (`client.tie_recorded`); the value is the order id.
    case order
}

/// The store's settings as matching applies them (see `DedupeSettings`).
public struct DedupeRules: Sendable, Equatable {
    public enum Priority: String, Codable, Sendable { case first, last }

    public var matchByPhone = true
    public var matchByEmail = true
    public var excludedPhones: Set<String> = []
    public var excludedEmails: Set<String> = []
    public var excludedINNs: Set<String> = []
    /// nil: no limit.
    public var maxPhones: Int?
    public var priority: Priority = .first
    /// Contact persons' phones and e-mails tie corporate cards.
    public var mergeContacts = true
    /// Companies with the same INN are one client.
    public var sameINN = true
    /// Groups may span the stores of one account.
    public var crossStore = false

    public init() {}
}
