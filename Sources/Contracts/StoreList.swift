/// `store.list` (schemas/store.list.schema.json): the stores the sender may act on. It names no
/// `store_id`: the answer is filtered by the sender's stores instead.
public struct StoreList: Codable, Sendable, Equatable {
    /// Only the stores of this account.
    public var accountID: String?

    public init(accountID: String? = nil) { self.accountID = accountID }

    enum CodingKeys: String, CodingKey { case accountID = "account_id" }
}
