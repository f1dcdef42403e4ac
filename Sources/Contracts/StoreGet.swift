/// `store.get` (schemas/store.get.schema.json): one store's settings, the defaults when it is
/// not registered yet.
public struct StoreGet: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) { self.storeID = storeID }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}
