import Foundation

/// `<service>.status` query: takes no fields (schemas/<service>.status.schema.json).
public struct ServiceStatusQuery: Codable, Sendable, Equatable {
    public init() {}
}

/// The result of `<service>.status` (schemas/service_status.result.schema.json).
public struct ServiceStatus: Codable, Sendable, Equatable {
    public var service: String
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Int64
    public var messagesHandled: Int64
    public var outboxDepth: Int64
    public var deadLetters: Int64
    /// Outbox messages the broker refused, parked aside (absent from services before it existed).
    public var outboxParked: Int64?

    public init(service: String, version: String, startedAt: Date, uptimeSeconds: Int64,
                messagesHandled: Int64, outboxDepth: Int64, deadLetters: Int64, outboxParked: Int64? = nil) {
        self.outboxParked = outboxParked
        self.service = service
        self.version = version
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.messagesHandled = messagesHandled
        self.outboxDepth = outboxDepth
        self.deadLetters = deadLetters
    }

    enum CodingKeys: String, CodingKey {
        case service, version
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
        case messagesHandled = "messages_handled"
        case outboxDepth = "outbox_depth"
        case deadLetters = "dead_letters"
        case outboxParked = "outbox_parked"
    }
}

/// The five services, by the name they answer to and the queue they own.
public enum ServiceName: String, CaseIterable, Sendable {
    case client = "client-service"
    case billing = "billing-service"
    case reliability = "reliability-service"
    case dedupe = "dedupe-service"
    case notification = "notification-service"

    public var statusType: String { "\(rawValue).status" }
}
