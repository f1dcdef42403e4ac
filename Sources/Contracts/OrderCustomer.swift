/// The buyer of an order as the shop knows them (`customer` in schemas/order.placed.schema.json).
/// The schema requires at least one of `phone`, `email`, `externalID` to identify them.
public struct OrderCustomer: Codable, Sendable, Equatable {
    /// The shop's user id; nil for a guest checkout.
    public var externalID: String?
    public var firstName: String
    public var lastName: String?
    /// As the buyer typed it; client-service normalizes it to E.164.
    public var phone: String?
    public var email: String?
    public var company: String?
    /// Russian taxpayer number: 10 digits for a company, 12 for a person.
    public var inn: String?

    public init(externalID: String? = nil, firstName: String, lastName: String? = nil, phone: String? = nil,
                email: String? = nil, company: String? = nil, inn: String? = nil) {
        self.externalID = externalID
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.company = company
        self.inn = inn
    }

    enum CodingKeys: String, CodingKey {
        case externalID = "external_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case phone, email, company, inn
    }
}
