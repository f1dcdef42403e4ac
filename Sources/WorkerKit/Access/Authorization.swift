import Contracts
import Messaging
import Synchronization

/// Decides who sent a delivery and whether that sender may send it: the `user_id` the broker
/// verified, the policy's grant for that user, the owner of an event type, and the `store_id`
/// the body names. Re-reads its policy file on `reload()` (SIGHUP).
public final class AccessControl: Sendable {
    /// Set by a service on what it sends itself through its retry queues, and by `crmctl dead
    /// replay`: the sender of the original message. Trusted only from the service's own user
    /// (a retry) or from an admin (a replay); from anyone else it is ignored.
    public static let originalUserHeader = "x-original-user-id"

    public enum Decision: Sendable {
        case allowed(Sender)
        case refused(ErrorBody)
    }

    private let policy: Mutex<AccessPolicy>
    private let file: String?
    /// The broker user this service itself connects as.
    public let serviceUser: String

    public init(policy: AccessPolicy, serviceUser: String, file: String? = nil) {
        self.policy = Mutex(policy)
        self.serviceUser = serviceUser
        self.file = file
    }

    public var current: AccessPolicy { policy.withLock { $0 } }

    /// Reads the policy file again; the policy in force stays when the file is not valid.
    public func reload() throws {
        guard let file else { return }
        let fresh = try AccessPolicy.load(file: .init(fileURLWithPath: file))
        policy.withLock { $0 = fresh }
    }

    /// The user a message speaks for: its verified `user_id`, or the original sender it carries
    /// when the service itself (a retry) or an admin (a replay) passed it on.
    public func effectiveUser(of message: AMQPMessage, policy: AccessPolicy) -> String? {
        guard let verified = message.userID, !verified.isEmpty else { return nil }
        if let original = message.headers[Self.originalUserHeader]?.stringValue, !original.isEmpty,
           verified == serviceUser || policy.grant(for: verified)?.role == .admin {
            return original
        }
        return verified
    }

    public func decide(_ message: AMQPMessage, type: String, kind: HandlerRegistry.Kind, json: JSONValue) -> Decision {
        let policy = current
        guard let user = effectiveUser(of: message, policy: policy) else {
            return .refused(Self.refusal("the message has no user_id: its sender is unknown", field: "user_id"))
        }
        guard let grant = policy.grant(for: user) else {
            return .refused(Self.refusal("user \(user) may send nothing: not in the access policy", field: "user_id"))
        }
        let sender = Sender(userID: user, grant: grant)
        switch kind {
        case .event:
            guard EventOwnership.allows(sender, toPublish: type) else {
                return .refused(Self.refusal("user \(user) (\(grant.role.rawValue)) may not publish \(type)", field: "type"))
            }
        case .command, .query:
            // Storefronts only publish their orders; the self-service commands will be listed here.
            guard grant.role != .shop else {
                return .refused(Self.refusal("user \(user) (shop) may not send \(type)", field: "type"))
            }
        }
        if let store = json["store_id"]?.stringValue, !sender.mayAccess(store: store) {
            return .refused(Self.refusal("user \(user) may not act on store \(store)", field: "store_id"))
        }
        return .allowed(sender)
    }

    static func refusal(_ message: String, field: String) -> ErrorBody {
        ErrorBody(code: .unauthorized, message: message, details: [ErrorDetail(field: field, problem: "unauthorized")])
    }
}
