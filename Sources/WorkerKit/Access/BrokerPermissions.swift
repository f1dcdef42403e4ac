import Contracts
import Messaging
import Foundation

/// What each role may do on the broker itself, as RabbitMQ's permissions: the regexes of the
/// resources a user may configure, write and read on a vhost, and the routing keys it may
/// publish on the topic exchanges. The broker then refuses a shop's command or a read of a
/// service's queue before any service sees it. `crmctl access setup` and the test harness write
/// these as a definitions file for `rabbitmqctl import_definitions`.
public struct BrokerPermissions: Sendable, Equatable {
    public var configure: String
    public var write: String
    public var read: String
    /// Exchange -> routing keys this user may publish there (topic permissions); other exchanges are not limited.
    public var topicWrite: [String: String]
    public var tags: [String]

    public static func of(_ grant: AccessGrant, user: String) -> BrokerPermissions {
        switch grant.role {
        case .admin:
            // `crmctl dead list|replay` reads and republishes any service's dead letters.
            return BrokerPermissions(configure: ".*", write: ".*", read: ".*", topicWrite: [:], tags: ["administrator"])
        case .service:
            let own = "\(NSRegularExpression.escapedPattern(for: grant.service ?? user))(\\..+)?"
            return BrokerPermissions(
                configure: "^(\(own)|crm\\..+)$",
                write: "^(\(own)|crm\\..+|amq\\.default)$",   // the default exchange: replies, retries, dead letters
                read: "^(\(own)|crm\\..+)$",
                topicWrite: [Exchanges.events: EventOwnership.routingKeyPattern(of: grant.service ?? user)], tags: [])
        case .shop:
            let types = EventOwnership.shopEventTypes.map { NSRegularExpression.escapedPattern(for: $0) }
            return BrokerPermissions(configure: "^$", write: "^crm\\.events$", read: "^$",
                                     topicWrite: [Exchanges.events: "^(\(types.joined(separator: "|")))$"], tags: [])
        case .operator:
            return BrokerPermissions(configure: "^$", write: "^crm\\.(commands|requests)$", read: "^$", topicWrite: [:], tags: [])
        }
    }

    /// A definitions document (RabbitMQ's export format) that grants each user its permissions on
    /// `vhost`; with passwords, it creates or updates the users too.
    public static func definitions(vhost: String, users: [String: AccessGrant], passwords: [String: String]? = nil) -> JSONValue {
        var permissions: [JSONValue] = []
        var topics: [JSONValue] = []
        var accounts: [JSONValue] = []
        for (user, grant) in users.sorted(by: { $0.key < $1.key }) {
            let p = of(grant, user: user)
            permissions.append(.object(["user": .string(user), "vhost": .string(vhost), "configure": .string(p.configure),
                                        "write": .string(p.write), "read": .string(p.read)]))
            for (exchange, keys) in p.topicWrite.sorted(by: { $0.key < $1.key }) {
                topics.append(.object(["user": .string(user), "vhost": .string(vhost), "exchange": .string(exchange),
                                       "write": .string(keys), "read": .string(".*")]))
            }
            if let password = passwords?[user] {
                accounts.append(.object(["name": .string(user), "password": .string(password),
                                         "tags": .string(p.tags.joined(separator: ","))]))
            }
        }
        var document: [String: JSONValue] = [
            "vhosts": .array([.object(["name": .string(vhost)])]),
            "permissions": .array(permissions), "topic_permissions": .array(topics),
        ]
        if passwords != nil { document["users"] = .array(accounts) }
        return .object(document)
    }
}
