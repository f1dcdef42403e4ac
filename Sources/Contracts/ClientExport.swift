/// `client.export` (schemas/client.export.schema.json): a store's cards in client_id order, a
/// page at a time; `after` is the previous page's `next_cursor`.
public struct ClientExport: Codable, Sendable, Equatable {
    public var storeID: String
    public var after: String?
    public var limit: Int?

    public init(storeID: String, after: String? = nil, limit: Int? = nil) {
        self.storeID = storeID
        self.after = after
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", after, limit }
}

/// The answer to `client.export` (schemas/client.export.result.schema.json).
public struct ClientExportResult: Codable, Sendable, Equatable {
    public var clients: [ClientCard]
    public var nextCursor: String?

    public init(clients: [ClientCard], nextCursor: String?) {
        self.clients = clients
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case clients, nextCursor = "next_cursor" }

    /// `next_cursor` is always written; null says "last page".
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clients, forKey: .clients)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}
