/// `dedupe.index.rebuild` (schemas/dedupe.index.rebuild.schema.json): fill the store's index again
/// from client-service's `client.export`; answered with the queued job (`dedupe.job`, kind `rebuild`).
public struct DedupeIndexRebuild: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) { self.storeID = storeID }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}
