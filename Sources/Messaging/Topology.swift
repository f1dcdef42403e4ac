/// The broker layout of the product (docs/architecture.md, "Broker topology").
public enum Exchanges {
    /// Every domain event; routing key = the event's type.
    public static let events = "crm.events"
    /// Commands and queries; routing key = the type.
    public static let commands = "crm.commands"
    /// The same commands and queries, bound the same way, but without an alternate exchange:
    /// a requester that publishes here as mandatory gets a command no service handles returned at once.
    public static let requests = "crm.requests"
    /// Alternate exchange of `crm.events` and `crm.commands`: what no queue is bound for is kept here.
    public static let unrouted = "crm.unrouted"
}

/// The queues one service owns: its work queue, the retry steps and the dead-letter queue.
public struct ServiceTopology: Sendable, Equatable {
    public var service: String
    public var eventKeys: [String]
    public var commandKeys: [String]
    /// Queries are read-only and answered at once: they get a classic queue of their own, so that
    /// a request does not wait for the work queue's replicated log to reach the disk.
    public var queryKeys: [String]
    /// Delay of each retry step; one queue per step, since expired messages leave only from a queue's head.
    public var retryDelays: [Duration]
    /// After this many deliveries of one message (a worker crashing on it each time) the broker
    /// dead-letters it: the quorum queue's poison-message guard.
    public var deliveryLimit: Int
    /// Every queue a quorum queue, replicated on the cluster's nodes: on a cluster, a classic
    /// queue lives on one node, and while that node is down the service could not even declare
    /// it (measured: the consumer stayed down until the node came back). Costs the query queue's
    /// latency (its log is written to disk before delivery).
    public var replicated: Bool
    /// Bounds of the dead-letter queue and of `crm.unrouted`.
    public var deadLetterBounds: QueueBounds

    public init(service: String, eventKeys: [String], commandKeys: [String], queryKeys: [String] = [],
                retryDelays: [Duration] = [.seconds(1), .seconds(10), .seconds(60)], deliveryLimit: Int = 20,
                replicated: Bool = false, deadLetterBounds: QueueBounds = .deadLetterDefault) {
        self.deadLetterBounds = deadLetterBounds
        self.service = service
        self.eventKeys = eventKeys
        self.commandKeys = commandKeys
        self.queryKeys = queryKeys
        self.retryDelays = retryDelays
        self.deliveryLimit = deliveryLimit
        self.replicated = replicated
    }

    /// Arguments that make a queue a quorum queue when the topology is replicated. Its dead
    /// letters go out at least once (the at-most-once default could drop a retry on a node loss).
    private func replication(deadLetters: Bool) -> [String: AMQPFieldValue] {
        guard replicated else { return [:] }
        var arguments: [String: AMQPFieldValue] = ["x-queue-type": .string("quorum")]
        if deadLetters {
            arguments["x-dead-letter-strategy"] = .string("at-least-once")
            arguments["x-overflow"] = .string("reject-publish")
        }
        return arguments
    }

    public var workQueue: String { service }
    public var deadQueue: String { "\(service).dead" }
    public var queryQueue: String { "\(service).queries" }
    public func retryQueue(step: Int) -> String { "\(service).retry.\(step)" }

    /// Declares everything; safe to run at every start and after every reconnect. Returns the
    /// bounded queues an earlier version declared without their bound (see `QueueBounds`).
    @discardableResult
    public func declare(on connection: AMQPConnection) throws -> [String] {
        var unbounded = try Self.declareShared(on: connection, bounds: deadLetterBounds)
        if try !deadLetterBounds.declare(deadQueue, on: connection) { unbounded.append(deadQueue) }
        try connection.declareQueue(workQueue, arguments: [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int(Int64(deliveryLimit)),
            "x-dead-letter-exchange": .string(""),
            "x-dead-letter-routing-key": .string(deadQueue),
        ])
        for (index, delay) in retryDelays.enumerated() {
            // Expired messages go back to the work queue through the default exchange.
            try connection.declareQueue(retryQueue(step: index + 1), arguments: [
                "x-message-ttl": .int(Int64(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)),
                "x-dead-letter-exchange": .string(""),
                "x-dead-letter-routing-key": .string(workQueue),
            ].merging(replication(deadLetters: true)) { $1 })
        }
        for key in eventKeys {
            try connection.bindQueue(workQueue, exchange: Exchanges.events, routingKey: key)
        }
        for key in commandKeys {
            try connection.bindQueue(workQueue, exchange: Exchanges.commands, routingKey: key)
            try connection.bindQueue(workQueue, exchange: Exchanges.requests, routingKey: key)
        }
        guard !queryKeys.isEmpty else { return unbounded }
        try connection.declareQueue(queryQueue, arguments: [
            "x-dead-letter-exchange": .string(""), "x-dead-letter-routing-key": .string(deadQueue),
        ].merging(replication(deadLetters: false)) { $1 })
        for key in queryKeys {
            for exchange in [Exchanges.commands, Exchanges.requests] {
                // A query bound to the work queue by an earlier version would be answered twice.
                try connection.unbindQueue(workQueue, exchange: exchange, routingKey: key)
                try connection.bindQueue(queryQueue, exchange: exchange, routingKey: key)
            }
        }
        return unbounded
    }

    /// The exchanges every participant may publish to, and the queue that keeps unrouted messages.
    @discardableResult
    public static func declareShared(on connection: AMQPConnection, bounds: QueueBounds = .deadLetterDefault) throws -> [String] {
        try connection.declareExchange(Exchanges.unrouted, type: "fanout")
        let bounded = try bounds.declare(Exchanges.unrouted, on: connection)
        try connection.bindQueue(Exchanges.unrouted, exchange: Exchanges.unrouted, routingKey: "")
        let withAlternate: [String: AMQPFieldValue] = ["alternate-exchange": .string(Exchanges.unrouted)]
        try connection.declareExchange(Exchanges.events, type: "topic", arguments: withAlternate)
        try connection.declareExchange(Exchanges.commands, type: "topic", arguments: withAlternate)
        try connection.declareExchange(Exchanges.requests, type: "topic")
        return bounded ? [] : [Exchanges.unrouted]
    }
}
