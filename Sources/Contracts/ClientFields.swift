import Foundation

/// A person or a company.
public enum ClientKind: String, Codable, Sendable, CaseIterable {
    case person, company
}

/// The editable fields of a client card (schemas/client.card.schema.json, and the fields of
/// client.create and client.update). Every field is optional here: a create needs `firstName`,
/// an update changes only the fields it carries.
public struct ClientFields: Codable, Sendable, Equatable {
    public var kind: ClientKind?
    public var externalID: String?
    public var firstName: String?
    public var lastName: String?
    public var contactPerson: String?
    public var login: String?
    public var email: String?
    public var phone: String?
    public var landlinePhone: String?
    public var extraPhones: [String]?
    public var citizenship: String?
    public var country: String?
    public var language: String?
    public var idDocumentNumber: String?
    public var idDocumentIssuer: String?
    public var birthday: String?
    public var sex: String?
    public var newsletter: Bool?
    public var promoSMS: Bool?
    public var source: String?
    public var groups: [String]?
    public var dedicatedOperatorID: String?
    public var personalDiscountPercent: Int?
    public var paymentDueDays: Int?
    public var blockedPhone: Bool?
    public var noRegistrationEmail: Bool?
    public var originStore: String?
    public var registeredBy: String?
    public var internalComment: String?
    public var label: String?
    public var registrationDate: Date?
    public var registrationIP: String?
    public var characteristic: String?
    public var verifiedPhone: Bool?
    public var connectedProviders: [String]?
    public var addresses: [ClientAddress]?
    public var companies: [ClientCompany]?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind
        case externalID = "external_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case contactPerson = "contact_person"
        case login
        case email
        case phone
        case landlinePhone = "landline_phone"
        case extraPhones = "extra_phones"
        case citizenship
        case country
        case language
        case idDocumentNumber = "id_document_number"
        case idDocumentIssuer = "id_document_issuer"
        case birthday
        case sex
        case newsletter
        case promoSMS = "promo_sms"
        case source
        case groups
        case dedicatedOperatorID = "dedicated_operator_id"
        case personalDiscountPercent = "personal_discount_percent"
        case paymentDueDays = "payment_due_days"
        case blockedPhone = "blocked_phone"
        case noRegistrationEmail = "no_registration_email"
        case originStore = "origin_store"
        case registeredBy = "registered_by"
        case internalComment = "internal_comment"
        case label
        case registrationDate = "registration_date"
        case registrationIP = "registration_ip"
        case characteristic
        case verifiedPhone = "verified_phone"
        case connectedProviders = "connected_providers"
        case addresses
        case companies
    }

    /// The fields that are set, by their JSON name: what history records and updates compare.
    public func namedValues() throws -> [(name: String, value: JSONValue?)] {
        [
        ("kind", try kind.map { try JSONValue.encoding($0) }),
        ("external_id", try externalID.map { try JSONValue.encoding($0) }),
        ("first_name", try firstName.map { try JSONValue.encoding($0) }),
        ("last_name", try lastName.map { try JSONValue.encoding($0) }),
        ("contact_person", try contactPerson.map { try JSONValue.encoding($0) }),
        ("login", try login.map { try JSONValue.encoding($0) }),
        ("email", try email.map { try JSONValue.encoding($0) }),
        ("phone", try phone.map { try JSONValue.encoding($0) }),
        ("landline_phone", try landlinePhone.map { try JSONValue.encoding($0) }),
        ("extra_phones", try extraPhones.map { try JSONValue.encoding($0) }),
        ("citizenship", try citizenship.map { try JSONValue.encoding($0) }),
        ("country", try country.map { try JSONValue.encoding($0) }),
        ("language", try language.map { try JSONValue.encoding($0) }),
        ("id_document_number", try idDocumentNumber.map { try JSONValue.encoding($0) }),
        ("id_document_issuer", try idDocumentIssuer.map { try JSONValue.encoding($0) }),
        ("birthday", try birthday.map { try JSONValue.encoding($0) }),
        ("sex", try sex.map { try JSONValue.encoding($0) }),
        ("newsletter", try newsletter.map { try JSONValue.encoding($0) }),
        ("promo_sms", try promoSMS.map { try JSONValue.encoding($0) }),
        ("source", try source.map { try JSONValue.encoding($0) }),
        ("groups", try groups.map { try JSONValue.encoding($0) }),
        ("dedicated_operator_id", try dedicatedOperatorID.map { try JSONValue.encoding($0) }),
        ("personal_discount_percent", try personalDiscountPercent.map { try JSONValue.encoding($0) }),
        ("payment_due_days", try paymentDueDays.map { try JSONValue.encoding($0) }),
        ("blocked_phone", try blockedPhone.map { try JSONValue.encoding($0) }),
        ("no_registration_email", try noRegistrationEmail.map { try JSONValue.encoding($0) }),
        ("origin_store", try originStore.map { try JSONValue.encoding($0) }),
        ("registered_by", try registeredBy.map { try JSONValue.encoding($0) }),
        ("internal_comment", try internalComment.map { try JSONValue.encoding($0) }),
        ("label", try label.map { try JSONValue.encoding($0) }),
        ("registration_date", try registrationDate.map { try JSONValue.encoding($0) }),
        ("registration_ip", try registrationIP.map { try JSONValue.encoding($0) }),
        ("characteristic", try characteristic.map { try JSONValue.encoding($0) }),
        ("verified_phone", try verifiedPhone.map { try JSONValue.encoding($0) }),
        ("connected_providers", try connectedProviders.map { try JSONValue.encoding($0) }),
        ("addresses", try addresses.map { try JSONValue.encoding($0) }),
        ("companies", try companies.map { try JSONValue.encoding($0) }),
        ]
    }
}

/// An invoice or shipping address on a client card.
public struct ClientAddress: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case invoice, shipping }

    public var kind: Kind
    public var country: String?
    public var region: String?
    public var city: String?
    public var street: String?
    public var house: String?
    public var apartment: String?
    public var postalCode: String?
    public var comment: String?

    public init(kind: Kind, country: String? = nil, region: String? = nil, city: String? = nil, street: String? = nil,
                house: String? = nil, apartment: String? = nil, postalCode: String? = nil, comment: String? = nil) {
        self.kind = kind
        self.country = country
        self.region = region
        self.city = city
        self.street = street
        self.house = house
        self.apartment = apartment
        self.postalCode = postalCode
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case kind, country, region, city, street, house, apartment, postalCode = "postal_code", comment
    }
}

/// A company the client acts for; its contact persons are clients themselves.
public struct ClientCompany: Codable, Sendable, Equatable {
    public var name: String
    public var inn: String?
    public var kpp: String?
    public var legalAddress: String?
    public var contactPersonIDs: [String]?

    public init(name: String, inn: String? = nil, kpp: String? = nil, legalAddress: String? = nil, contactPersonIDs: [String]? = nil) {
        self.name = name
        self.inn = inn
        self.kpp = kpp
        self.legalAddress = legalAddress
        self.contactPersonIDs = contactPersonIDs
    }

    enum CodingKeys: String, CodingKey {
        case name, inn, kpp, legalAddress = "legal_address", contactPersonIDs = "contact_person_ids"
    }
}
