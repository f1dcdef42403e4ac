import Contracts
import Foundation

/// What a broker user may do: its role and its stores. One policy file (`CRM_ACCESS_FILE`,
/// `schemas/access-policy.schema.json`) says it for every user; every service reads the same file.
///
///     {"users": {"shop-s1": {"role": "shop", "stores": ["s1"]},
///                "operator-demo": {"role": "operator", "stores": ["s1", "s2"]},
///                "crm-admin": {"role": "admin"},
///                "client-service": {"role": "service"}}}
///
/// Admins and services act on every store; a service user is the service of its own name unless
/// `service` names another. A user the policy does not list may do nothing.
public struct AccessPolicy: Sendable, Equatable {
    public var users: [String: AccessGrant]

    public init(users: [String: AccessGrant]) { self.users = users }

    public func grant(for user: String) -> AccessGrant? { users[user] }

    public static func load(file: URL) throws -> AccessPolicy {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw AccessPolicyError.unreadable(file.path, "\(error.localizedDescription)")
        }
        return try parse(data, source: file.path)
    }

    /// The policy in the file's form (what `parse` reads).
    public var document: JSONValue {
        .object(["users": .object(users.mapValues { grant in
            var entry: [String: JSONValue] = ["role": .string(grant.role.rawValue)]
            if let stores = grant.stores { entry["stores"] = .array(stores.sorted().map(JSONValue.string)) }
            if let service = grant.service { entry["service"] = .string(service) }
            return .object(entry)
        })])
    }

    public static func parse(_ data: Data, source: String = "policy") throws -> AccessPolicy {
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch { throw AccessPolicyError.invalid(source, "not JSON") }
        guard let users = json["users"]?.objectValue else { throw AccessPolicyError.invalid(source, "no \"users\" object") }
        var grants: [String: AccessGrant] = [:]
        for (name, entry) in users {
            guard let role = entry["role"]?.stringValue.flatMap(AccessRole.init(rawValue:)) else {
                throw AccessPolicyError.invalid(source, "user \(name): role must be shop, operator, admin or service")
            }
            let stores = entry["stores"]?.arrayValue?.compactMap(\.stringValue)
            if stores == nil, role == .shop || role == .operator {
                throw AccessPolicyError.invalid(source, "user \(name): a \(role.rawValue) needs its \"stores\"")
            }
            grants[name] = AccessGrant(role: role, stores: role.seesEveryStore ? nil : Set(stores ?? []),
                                       service: role == .service ? (entry["service"]?.stringValue ?? name) : nil)
        }
        return AccessPolicy(users: grants)
    }
}

public enum AccessRole: String, Sendable, Codable, CaseIterable {
    /// A storefront: publishes its own stores' order events.
    case shop
    /// A shop's operator: commands and queries on its stores.
    case `operator`
    /// Every store, every command; the registry of stores.
    case admin
    /// One of our services: its own event types, commands to the others.
    case service

    var seesEveryStore: Bool { self == .admin || self == .service }
}

/// One user's entry of the policy.
public struct AccessGrant: Sendable, Equatable {
    public var role: AccessRole
    /// nil: every store.
    public var stores: Set<String>?
    /// For a service user: the service it is.
    public var service: String?

    public init(role: AccessRole, stores: Set<String>? = nil, service: String? = nil) {
        self.role = role
        self.stores = role.seesEveryStore ? nil : (stores ?? [])
        self.service = service
    }

    public func mayAccess(store: String) -> Bool { stores?.contains(store) ?? true }
}

public enum AccessPolicyError: Error, CustomStringConvertible {
    case unreadable(String, String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "cannot read the access policy \(file): \(reason)"
        case .invalid(let file, let reason): return "the access policy \(file) is not valid: \(reason)"
        }
    }
}
