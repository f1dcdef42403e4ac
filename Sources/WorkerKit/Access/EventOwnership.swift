import Foundation

/// Each event type has one owner (design.md, "Identity and access"): shops publish their orders,
/// each service its own domain. An event from anyone else is refused, so that no shop can lower a
/// buyer's rating with a forged status and no service can speak for another.
public enum EventOwner: Sendable, Equatable {
    /// Storefronts, each for its own stores.
    case shops
    case service(String)
}

public enum EventOwnership {
    /// Types owned by another service than their prefix suggests.
    static let exceptions: [String: EventOwner] = [
        "order.attributed": .service("client-service"),
    ]

    static let prefixes: [String: EventOwner] = [
        "order": .shops,
        "client": .service("client-service"),
        "store": .service("client-service"),
        "billing": .service("billing-service"),
        "reliability": .service("reliability-service"),
        "dedupe": .service("dedupe-service"),
        "notification": .service("notification-service"),
    ]

    /// The event types storefronts publish: their broker users may route nothing else.
    public static let shopEventTypes = ["order.placed", "order.status_changed"]

    /// The routing keys a service may publish on `crm.events`, as a regex for RabbitMQ's topic permissions.
    public static func routingKeyPattern(of service: String) -> String {
        let prefixes = prefixes.filter { $0.value == .service(service) }.keys.map { $0 + "\\..+" }
        let types = exceptions.filter { $0.value == .service(service) }.keys.map { $0.replacingOccurrences(of: ".", with: "\\.") }
        let all = (prefixes + types).sorted()
        return all.isEmpty ? "^$" : "^(" + all.joined(separator: "|") + ")$"
    }

    /// The owner of an event type; nil for a type of no known domain (nobody may publish it).
    public static func owner(of type: String) -> EventOwner? {
        if let owner = exceptions[type] { return owner }
        return type.split(separator: ".", maxSplits: 1).first.flatMap { prefixes[String($0)] }
    }

    /// Whether `sender` may publish an event of `type`. Administrators may publish any (repairs,
    /// backfills, imports: they hold every broker permission anyway).
    public static func allows(_ sender: Sender, toPublish type: String) -> Bool {
        switch (owner(of: type), sender.role) {
        case (_, .admin): return true
        case (.shops?, .shop): return true
        case (.service(let name)?, .service): return sender.grant.service == name
        default: return false
        }
    }
}
