/// Who sent the message being handled: the broker-verified `user_id` and what the access policy
/// grants that user. Handlers read it for the author of a change and for per-store answers.
public struct Sender: Sendable, Equatable {
    public let userID: String
    public let grant: AccessGrant

    public init(userID: String, grant: AccessGrant) {
        self.userID = userID
        self.grant = grant
    }

    public var role: AccessRole { grant.role }

    public func mayAccess(store: String) -> Bool { grant.mayAccess(store: store) }

    /// The stores this sender sees; nil for every store.
    public var stores: Set<String>? { grant.stores }
}
