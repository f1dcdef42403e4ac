import Foundation

/// The result of `reliability.get` (schemas/reliability.rating.schema.json): the store's own
/// statistics of a client, the last external check (null when none), and a local trust level.
public struct ReliabilityRating: Codable, Sendable, Equatable {
    public var clientID: String
    public var stats: ReliabilityStats
    public var external: ExternalCheckResult?
    public var trust: TrustAssessment

    public init(clientID: String, stats: ReliabilityStats, external: ExternalCheckResult?, trust: TrustAssessment) {
        self.clientID = clientID
        self.stats = stats
        self.external = external
        self.trust = trust
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case stats, external, trust
    }

    /// `external` is always present: null says "never checked", which an absent key would not.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clientID, forKey: .clientID)
        try c.encode(stats, forKey: .stats)
        try c.encode(external, forKey: .external)
        try c.encode(trust, forKey: .trust)
    }
}

/// Order statistics; a nil field is a zero left out because the store hides empty lines.
public struct ReliabilityStats: Codable, Sendable, Equatable {
    public var orders: Int?
    public var purchases: [Money]?
    public var canceled: Int?
    public var unfinished: Int?
    public var completed: Int?
    public var refused: Int?
    public var returned: Int?
    public var redemptionRate: Double?
    public var firstOrderAt: Date?
    public var lastOrderAt: Date?

    public init(orders: Int? = nil, purchases: [Money]? = nil, canceled: Int? = nil, unfinished: Int? = nil,
                completed: Int? = nil, refused: Int? = nil, returned: Int? = nil, redemptionRate: Double? = nil,
                firstOrderAt: Date? = nil, lastOrderAt: Date? = nil) {
        self.orders = orders
        self.purchases = purchases
        self.canceled = canceled
        self.unfinished = unfinished
        self.completed = completed
        self.refused = refused
        self.returned = returned
        self.redemptionRate = redemptionRate
        self.firstOrderAt = firstOrderAt
        self.lastOrderAt = lastOrderAt
    }

    enum CodingKeys: String, CodingKey {
        case orders, purchases, canceled, unfinished, completed, refused, returned
        case redemptionRate = "redemption_rate"
        case firstOrderAt = "first_order_at"
        case lastOrderAt = "last_order_at"
    }
}

/// What the external blacklist service said of the buyer's phone.
public enum ExternalStatus: String, Codable, Sendable, CaseIterable {
    case trusted
    case neutral
    case noTrust = "no_trust"
    case invalidPhone = "invalid_phone"
}

public struct ExternalCheckResult: Codable, Sendable, Equatable {
    public var status: ExternalStatus
    public var checkedAt: Date

    public init(status: ExternalStatus, checkedAt: Date) {
        self.status = status
        self.checkedAt = checkedAt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case checkedAt = "checked_at"
    }
}

/// The store's own verdict, with the reasons an operator reads on the order card.
public struct TrustAssessment: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable {
        case trusted, neutral
        case noTrust = "no_trust"
        case unknown
    }

    public var level: Level
    public var reasons: [String]

    public init(level: Level, reasons: [String]) {
        self.level = level
        self.reasons = reasons
    }
}
