/// `client.merge` (schemas/client.merge.schema.json).
public struct ClientMerge: Codable, Sendable, Equatable {
    public var storeID: String
    public var survivorID: String
    public var mergedIDs: [String]
    public var maxPhones: Int?
    /// Field name → the client whose value wins.
    public var fieldRules: [String: String]?

    public init(storeID: String, survivorID: String, mergedIDs: [String], maxPhones: Int? = nil, fieldRules: [String: String]? = nil) {
        self.storeID = storeID
        self.survivorID = survivorID
        self.mergedIDs = mergedIDs
        self.maxPhones = maxPhones
        self.fieldRules = fieldRules
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", survivorID = "survivor_id", mergedIDs = "merged_ids", maxPhones = "max_phones"
        case fieldRules = "field_rules"
    }
}

/// `client.unmerge` (schemas/client.unmerge.schema.json).
public struct ClientUnmerge: Codable, Sendable, Equatable {
    public var storeID: String
    public var mergedID: String

    public init(storeID: String, mergedID: String) {
        self.storeID = storeID
        self.mergedID = mergedID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", mergedID = "merged_id" }
}
