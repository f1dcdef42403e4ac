import Foundation

/// `client.merged` (schemas/client.merged.schema.json): the merged clients' rows belong to the survivor now.
public struct ClientMerged: Codable, Sendable, Equatable {
    public var storeID: String
    public var survivorID: String
    public var mergedIDs: [String]
    public var mergedAt: Date

    public init(storeID: String, survivorID: String, mergedIDs: [String], mergedAt: Date) {
        self.storeID = storeID
        self.survivorID = survivorID
        self.mergedIDs = mergedIDs
        self.mergedAt = mergedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", survivorID = "survivor_id", mergedIDs = "merged_ids", mergedAt = "merged_at"
    }
}

/// `client.unmerged` (schemas/client.unmerged.schema.json): the restored clients own their rows again.
public struct ClientUnmerged: Codable, Sendable, Equatable {
    public var storeID: String
    public var survivorID: String
    public var restoredIDs: [String]
    public var unmergedAt: Date

    public init(storeID: String, survivorID: String, restoredIDs: [String], unmergedAt: Date) {
        self.storeID = storeID
        self.survivorID = survivorID
        self.restoredIDs = restoredIDs
        self.unmergedAt = unmergedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", survivorID = "survivor_id", restoredIDs = "restored_ids", unmergedAt = "unmerged_at"
    }
}
