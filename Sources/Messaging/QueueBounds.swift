/// How much a queue that collects what went wrong (`<service>.dead`, `crm.unrouted`) may hold.
/// A full one refuses new messages (`reject-publish`: the publisher gets a nack and keeps the
/// message) instead of dropping its oldest, so nothing is lost without someone knowing.
public struct QueueBounds: Sendable, Equatable {
    public var maxLength: Int
    public var maxBytes: Int

    public init(maxLength: Int, maxBytes: Int) {
        self.maxLength = maxLength
        self.maxBytes = maxBytes
    }

    /// 100,000 messages or 1 GiB, whichever comes first.
    public static let deadLetterDefault = QueueBounds(maxLength: 100_000, maxBytes: 1 << 30)

    public var arguments: [String: AMQPFieldValue] {
        [
            "x-queue-type": .string("quorum"),
            "x-max-length": .int(Int64(maxLength)),
            "x-max-length-bytes": .int(Int64(maxBytes)),
            "x-overflow": .string("reject-publish"),
        ]
    }

    /// Declares a bounded quorum queue. A queue declared by an earlier version without the bound
    /// (or with other numbers) cannot be changed by a declare (the broker answers 406
    /// PRECONDITION_FAILED): it is then used as it is, and false tells the caller to warn. A policy
    /// bounds it: `rabbitmqctl set_policy --apply-to queues crm-dead '\.dead$|^crm\.unrouted$'
    /// '{"max-length":100000,"max-length-bytes":1073741824,"overflow":"reject-publish"}'`.
    public func declare(_ queue: String, on connection: AMQPConnection) throws -> Bool {
        do {
            try connection.declareQueue(queue, arguments: arguments)
            return true
        } catch AMQPError.brokerClosed(_, let code, _) where code == 406 {
            try connection.reopenChannel()
            try connection.declareQueue(queue, passive: true)
            return false
        }
    }
}
