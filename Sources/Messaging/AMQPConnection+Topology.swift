import CRabbitMQ

/// Declaring exchanges, queues and bindings. Every declaration is idempotent as long as the
/// arguments stay the same; a change of arguments makes the broker close the channel (406).
extension AMQPConnection {
    public func declareExchange(_ name: String, type: String, durable: Bool = true,
                                arguments: [String: AMQPFieldValue] = [:]) throws {
        let arena = CArena()
        _ = amqp_exchange_declare(state, channel, arena.bytes(name), arena.bytes(type), 0,
                                  durable ? 1 : 0, 0, 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "exchange.declare \(name)")
    }

    /// Declares a queue (or, with `passive`, only checks that it exists) and returns its counts.
    @discardableResult
    public func declareQueue(_ name: String, durable: Bool = true, exclusive: Bool = false,
                             autoDelete: Bool = false, passive: Bool = false,
                             arguments: [String: AMQPFieldValue] = [:]) throws -> QueueInfo {
        let arena = CArena()
        let ok = amqp_queue_declare(state, channel, arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0,
                                    exclusive ? 1 : 0, autoDelete ? 1 : 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(state), "queue.declare \(name)")
        guard let ok else { throw AMQPError.library(operation: "queue.declare \(name)", message: "no reply") }
        return QueueInfo(name: ok.pointee.queue.string, messageCount: Int(ok.pointee.message_count),
                         consumerCount: Int(ok.pointee.consumer_count))
    }

    /// Opens the channel again after the broker closed it (a 406 on a declare, say).
    public func reopenChannel() throws {
        _ = amqp_channel_open(state, channel)
        try check(amqp_get_rpc_reply(state), "channel.open")
    }

    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws {
        let arena = CArena()
        _ = amqp_queue_bind(state, channel, arena.bytes(queue), arena.bytes(exchange),
                            arena.bytes(routingKey), amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "queue.bind \(queue) \(routingKey)")
    }

    /// Removes a binding; removing one that does not exist is not an error.
    public func unbindQueue(_ queue: String, exchange: String, routingKey: String) throws {
        let arena = CArena()
        _ = amqp_queue_unbind(state, channel, arena.bytes(queue), arena.bytes(exchange),
                              arena.bytes(routingKey), amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "queue.unbind \(queue) \(routingKey)")
    }

    /// How many unacknowledged deliveries the broker may send ahead on this channel.
    public func setPrefetch(_ count: UInt16) throws {
        _ = amqp_basic_qos(state, channel, 0, count, 0)
        try check(amqp_get_rpc_reply(state), "basic.qos")
    }
}

public struct QueueInfo: Sendable, Equatable {
    public var name: String
    public var messageCount: Int
    public var consumerCount: Int
}
