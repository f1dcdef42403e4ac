/// `client.search` (schemas/client.search.schema.json).
public struct ClientSearch: Codable, Sendable, Equatable {
    public var storeID: String
    public var query: String?
    public var email: String?
    public var phone: String?
    public var clientID: String?
    public var company: String?
    public var includeDeleted: Bool?
    public var limit: Int?
    public var cursor: String?

    public init(storeID: String, query: String? = nil, email: String? = nil, phone: String? = nil, clientID: String? = nil,
                company: String? = nil, includeDeleted: Bool? = nil, limit: Int? = nil, cursor: String? = nil) {
        self.storeID = storeID
        self.query = query
        self.email = email
        self.phone = phone
        self.clientID = clientID
        self.company = company
        self.includeDeleted = includeDeleted
        self.limit = limit
        self.cursor = cursor
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", query, email, phone, clientID = "client_id", company
        case includeDeleted = "include_deleted", limit, cursor
    }
}

/// The answer to `client.search` (schemas/client.search.result.schema.json).
public struct ClientSearchResult: Codable, Sendable, Equatable {
    public var items: [ClientCard]
    public var nextCursor: String?

    public init(items: [ClientCard], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

    /// `next_cursor` is always written; null says "last page".
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}
