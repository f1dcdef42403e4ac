import CRabbitMQ
import Foundation

/// Publishing, with publisher confirms when `enableConfirms()` was called: publish a batch, then
/// `waitForConfirms` until the broker has taken responsibility for every message of it.
extension AMQPConnection {
    public func enableConfirms() throws {
        _ = amqp_confirm_select(state, channel)
        try check(amqp_get_rpc_reply(state), "confirm.select")
        confirmMode = true
    }

    /// Every message carries its sender: the connection's user, unless `message.userID` says
    /// otherwise (which the broker refuses) or `stampsUserID` is off (tests of unsigned messages).
    /// Returns the message's publish sequence number in confirm mode (0 otherwise).
    @discardableResult
    public func publish(exchange: String, routingKey: String, message: AMQPMessage, mandatory: Bool = false) throws -> UInt64 {
        let arena = CArena()
        var message = message
        if message.userID == nil, stampsUserID { message.userID = url.user }
        var properties = amqp_basic_properties_t(message, arena: arena)
        let rc = message.body.withUnsafeBytes { body in
            amqp_basic_publish(
                state, channel, arena.bytes(exchange), arena.bytes(routingKey), mandatory ? 1 : 0, 0,
                &properties, amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress)))
        }
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError.library(operation: "basic.publish", message: String(cString: amqp_error_string2(rc)))
        }
        guard confirmMode else { return 0 }
        unconfirmed.insert(nextPublishSequence)
        nextPublishSequence += 1
        return nextPublishSequence - 1
    }

    /// Whether the broker acked the message published with `sequence` (after a failed
    /// `waitForConfirms`: which of a batch went through).
    public func wasConfirmed(_ sequence: UInt64) -> Bool {
        sequence > 0 && sequence < nextPublishSequence && !unconfirmed.contains(sequence) && !nackedSequences.contains(sequence)
    }

    /// Blocks until every message published so far is confirmed. Throws `.nacked` when the broker
    /// refused some (the caller publishes them again) and `.timeout` when confirms stop coming.
    public func waitForConfirms(timeout: Duration = .seconds(30)) throws {
        let deadline = ContinuousClock.now + timeout
        while !unconfirmed.isEmpty {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw AMQPError.timeout("\(unconfirmed.count) publisher confirms") }
            try handleOtherFrame(timeout: min(remaining, .seconds(1)))
        }
        if nackedCount > 0 {
            let count = nackedCount
            nackedCount = 0
            throw AMQPError.nacked(count: count)
        }
    }

    /// Lets the library read pending frames (and send heartbeats) without blocking; for idle loops.
    public func serviceHeartbeats() throws {
        while try handleOtherFrame(timeout: .zero) {}
    }

    func settleConfirm(tag: UInt64, multiple: Bool, nacked: Bool) {
        let settled = multiple ? unconfirmed.filter { $0 <= tag } : (unconfirmed.contains(tag) ? [tag] : [])
        unconfirmed.subtract(settled)
        if nacked {
            nackedCount += settled.count
            nackedSequences.formUnion(settled)
        }
    }
}
