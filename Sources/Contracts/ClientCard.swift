import Foundation

/// A client card (schemas/client.card.schema.json): identity, bookkeeping and the editable
/// fields, flat; `orders` and `notes` only with `client.get` (`notes` with `client.note.add` too).
public struct ClientCard: Codable, Sendable, Equatable {
    public struct OrderLine: Codable, Sendable, Equatable {
        public var orderID: String
        public var placedAt: Date?
        public var total: Money?
        public var paymentMethod: String?
        public var status: String

        public init(orderID: String, placedAt: Date?, total: Money?, paymentMethod: String?, status: String) {
            self.orderID = orderID
            self.placedAt = placedAt
            self.total = total
            self.paymentMethod = paymentMethod
            self.status = status
        }

        enum CodingKeys: String, CodingKey {
            case orderID = "order_id", placedAt = "placed_at", total, paymentMethod = "payment_method", status
        }
    }

    public var clientID: String
    public var storeID: String
    public var version: Int
    public var deleted: Bool
    public var mergedInto: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var fields: ClientFields
    public var orders: [OrderLine]?
    public var notes: [ClientNote]?

    public init(clientID: String, storeID: String, version: Int, deleted: Bool, mergedInto: String?, createdAt: Date,
                updatedAt: Date, fields: ClientFields, orders: [OrderLine]? = nil, notes: [ClientNote]? = nil) {
        self.clientID = clientID
        self.storeID = storeID
        self.version = version
        self.deleted = deleted
        self.mergedInto = mergedInto
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.fields = fields
        self.orders = orders
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", storeID = "store_id", version, deleted, mergedInto = "merged_into"
        case createdAt = "created_at", updatedAt = "updated_at", orders, notes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try c.decode(String.self, forKey: .clientID)
        storeID = try c.decode(String.self, forKey: .storeID)
        version = try c.decode(Int.self, forKey: .version)
        deleted = try c.decode(Bool.self, forKey: .deleted)
        mergedInto = try c.decodeIfPresent(String.self, forKey: .mergedInto)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
        orders = try c.decodeIfPresent([OrderLine].self, forKey: .orders)
        notes = try c.decodeIfPresent([ClientNote].self, forKey: .notes)
        fields = try ClientFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try fields.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clientID, forKey: .clientID)
        try c.encode(storeID, forKey: .storeID)
        try c.encode(version, forKey: .version)
        try c.encode(deleted, forKey: .deleted)
        try c.encodeIfPresent(mergedInto, forKey: .mergedInto)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(orders, forKey: .orders)
        try c.encodeIfPresent(notes, forKey: .notes)
    }
}

/// `client.created` and `client.updated` (schemas/client.created…, client.updated…).
public struct ClientChanged: Codable, Sendable, Equatable {
    public var changedFields: [String]?
    public var client: ClientCard

    public init(changedFields: [String]? = nil, client: ClientCard) {
        self.changedFields = changedFields
        self.client = client
    }

    enum CodingKeys: String, CodingKey { case changedFields = "changed_fields", client }
}

/// `client.deleted` and `client.restored`.
public struct ClientLifecycle: Codable, Sendable, Equatable {
    public var clientID: String
    public var storeID: String
    public var version: Int
    public var at: Date

    public init(clientID: String, storeID: String, version: Int, at: Date) {
        self.clientID = clientID
        self.storeID = storeID
        self.version = version
        self.at = at
    }

    enum CodingKeys: String, CodingKey { case clientID = "client_id", storeID = "store_id", version, at }
}
