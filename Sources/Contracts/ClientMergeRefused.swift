import Foundation

/// `client.merge_refused` (schemas/client.merge_refused.schema.json): a `client.merge` sent
/// without `reply_to` (a service's command from its outbox) was refused; `error` is what a reply
/// would have said. Nothing changed.
public struct ClientMergeRefused: Codable, Sendable, Equatable {
    public var storeID: String
    public var survivorID: String
    public var mergedIDs: [String]
    /// The refused command's `message_id`.
    public var commandID: String
    public var requestedBy: String
    public var error: ErrorBody
    public var refusedAt: Date

    public init(storeID: String, survivorID: String, mergedIDs: [String], commandID: String, requestedBy: String,
                error: ErrorBody, refusedAt: Date) {
        self.storeID = storeID
        self.survivorID = survivorID
        self.mergedIDs = mergedIDs
        self.commandID = commandID
        self.requestedBy = requestedBy
        self.error = error
        self.refusedAt = refusedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", survivorID = "survivor_id", mergedIDs = "merged_ids", commandID = "command_id"
        case requestedBy = "requested_by", error, refusedAt = "refused_at"
    }
}
