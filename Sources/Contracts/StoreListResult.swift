/// The answer to `store.list` (schemas/store.list.result.schema.json), ordered by `store_id`.
public struct StoreListResult: Codable, Sendable, Equatable {
    public var items: [StoreCard]

    public init(items: [StoreCard]) { self.items = items }
}
