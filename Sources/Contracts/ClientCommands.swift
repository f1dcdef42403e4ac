import Foundation

/// `client.create` (schemas/client.create.schema.json): the store and the card's fields, flat.
public struct ClientCreate: Codable, Sendable, Equatable {
    public var storeID: String
    public var fields: ClientFields

    public init(storeID: String, fields: ClientFields) {
        self.storeID = storeID
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }

    public init(from decoder: Decoder) throws {
        storeID = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .storeID)
        fields = try ClientFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try fields.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
    }
}

/// `client.update` (schemas/client.update.schema.json): the fields to change, with the version read.
public struct ClientUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var version: Int
    public var changes: ClientFields

    public init(storeID: String, clientID: String, version: Int, changes: ClientFields) {
        self.storeID = storeID
        self.clientID = clientID
        self.version = version
        self.changes = changes
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", version }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storeID = try c.decode(String.self, forKey: .storeID)
        clientID = try c.decode(String.self, forKey: .clientID)
        version = try c.decode(Int.self, forKey: .version)
        changes = try ClientFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try changes.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
        try c.encode(clientID, forKey: .clientID)
        try c.encode(version, forKey: .version)
    }
}

/// `client.get`, `client.delete`, `client.restore`: one client of a store by id (a client of
/// another store is `not_found`, exactly like one that does not exist).
public struct ClientRef: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String

    public init(storeID: String, clientID: String) {
        self.storeID = storeID
        self.clientID = clientID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id" }
}

/// `client.history` (schemas/client.history.schema.json).
public struct ClientHistoryQuery: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var limit: Int?

    public init(storeID: String, clientID: String, limit: Int? = nil) {
        self.storeID = storeID
        self.clientID = clientID
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", clientID = "client_id", limit }
}

/// The answer to `client.history` (schemas/client.history.result.schema.json).
public struct ClientHistoryResult: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var changedAt: Date
        public var author: String
        public var field: String
        public var before: JSONValue
        public var after: JSONValue

        public init(changedAt: Date, author: String, field: String, before: JSONValue, after: JSONValue) {
            self.changedAt = changedAt
            self.author = author
            self.field = field
            self.before = before
            self.after = after
        }

        enum CodingKeys: String, CodingKey { case changedAt = "changed_at", author, field, before, after }

        /// `before` and `after` are always written, null included.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            changedAt = try c.decode(Date.self, forKey: .changedAt)
            author = try c.decode(String.self, forKey: .author)
            field = try c.decode(String.self, forKey: .field)
            before = try c.decodeIfPresent(JSONValue.self, forKey: .before) ?? .null
            after = try c.decodeIfPresent(JSONValue.self, forKey: .after) ?? .null
        }
    }

    public var items: [Entry]

    public init(items: [Entry]) { self.items = items }
}
