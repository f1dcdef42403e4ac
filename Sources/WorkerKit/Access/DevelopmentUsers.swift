import Contracts

/// The broker users of the development set-up (`scripts/run`, `scripts/test`, compose): one per
/// service, two shops, an operator of both their stores and an administrator. `crmctl access`
/// writes the policy and the broker permissions from this one list.
public enum DevelopmentUsers {
    public static let shops = ["shop-s1": "s1", "shop-s2": "s2"]
    public static let operatorName = "operator-demo"
    public static let adminName = "crm-admin"

    public static var grants: [String: AccessGrant] {
        var grants: [String: AccessGrant] = [:]
        for service in ServiceName.allCases {
            grants[service.rawValue] = AccessGrant(role: .service, service: service.rawValue)
        }
        for (shop, store) in shops { grants[shop] = AccessGrant(role: .shop, stores: [store]) }
        grants[operatorName] = AccessGrant(role: .operator, stores: Set(shops.values))
        grants[adminName] = AccessGrant(role: .admin)
        return grants
    }

    public static var policy: AccessPolicy { AccessPolicy(users: grants) }

    /// The development policy plus `user` as an administrator: for tests and benchmarks that
    /// connect as the broker's default user and play every sender.
    public static func policy(withAdmin user: String) -> AccessPolicy {
        var policy = self.policy
        policy.users[user] = AccessGrant(role: .admin)
        return policy
    }
}

extension DevelopmentUsers {
    /// A development user allowed to send `type` anywhere: the owning service for a service's
    /// events, the administrator for the rest. For harnesses and benchmarks that play every sender.
    public static func sender(of type: String) -> String {
        if case .service(let name)? = EventOwnership.owner(of: type) { return name }
        return adminName
    }
}
