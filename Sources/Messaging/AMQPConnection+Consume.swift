import CRabbitMQ
import Foundation

/// Consuming: start a consumer, wait for the next delivery, and settle deliveries.
extension AMQPConnection {
    @discardableResult
    public func consume(queue: String, noAck: Bool = false, exclusive: Bool = false) throws -> String {
        let arena = CArena()
        let ok = amqp_basic_consume(state, channel, arena.bytes(queue), amqp_empty_bytes, 0,
                                    noAck ? 1 : 0, exclusive ? 1 : 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(state), "basic.consume \(queue)")
        return ok?.pointee.consumer_tag.string ?? ""
    }

    public func cancel(consumerTag: String) throws {
        let arena = CArena()
        _ = amqp_basic_cancel(state, channel, arena.bytes(consumerTag))
        try check(amqp_get_rpc_reply(state), "basic.cancel")
    }

    /// The next delivery, or nil when none came within `timeout`. Waiting here is also what
    /// services the heartbeats. Frames other than deliveries are handled on the way: confirms are
    /// counted, a returned mandatory message throws `.unroutable`, a close throws.
    ///
    /// A body larger than `maxBodyBytes` (as its header frame declares it) is read off the socket
    /// and dropped unseen: the delivery comes back with an empty body and `bodySize` saying how
    /// large it was, so the worker can dead-letter it without ever holding it.
    public func nextDelivery(timeout: Duration, maxBodyBytes: Int = .max) throws -> Delivery? {
        amqp_maybe_release_buffers(state)
        var frame = amqp_frame_t()
        guard try waitFrame(&frame, timeout: timeout) else { return nil }
        if frame.frame_type == UInt8(AMQP_FRAME_METHOD), frame.payload.method.id == CRM_BASIC_DELIVER_METHOD {
            return try readDelivery(frame, maxBodyBytes: maxBodyBytes)
        }
        try handle(frame)
        if let returned = returned.popLast() {
            throw AMQPError.unroutable(exchange: returned.exchange, routingKey: returned.routingKey,
                                       text: returned.text, messageID: returned.messageID)
        }
        return nil
    }

    /// Reads one frame that is not a delivery and acts on it. Returns false on timeout.
    @discardableResult
    func handleOtherFrame(timeout: Duration) throws -> Bool {
        var frame = amqp_frame_t()
        guard try waitFrame(&frame, timeout: timeout) else { return false }
        try handle(frame)
        return true
    }

    /// Waits for the next frame on any channel; false on timeout.
    private func waitFrame(_ frame: inout amqp_frame_t, timeout: Duration) throws -> Bool {
        var tv = timeval(duration: timeout)
        let rc = amqp_simple_wait_frame_noblock(state, &frame, &tv)
        if rc == AMQP_STATUS_TIMEOUT.rawValue { return false }
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError.library(operation: "wait frame", message: String(cString: amqp_error_string2(rc)))
        }
        return true
    }

    /// Acts on a frame that is not the start of a delivery.
    private func handle(_ frame: amqp_frame_t) throws {
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return }
        let method = frame.payload.method
        switch method.id {
        case CRM_BASIC_ACK_METHOD:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            settleConfirm(tag: ack.delivery_tag, multiple: ack.multiple != 0, nacked: false)
        case CRM_BASIC_NACK_METHOD:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            settleConfirm(tag: nack.delivery_tag, multiple: nack.multiple != 0, nacked: true)
        case CRM_BASIC_RETURN_METHOD:
            let ret = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            // The returned message's content follows; its message id tells the sender which one it was.
            var message = amqp_message_t()
            let read = amqp_read_message(state, channel, &message, 0)
            try check(read, "read returned message")
            let messageID = message.properties.message(body: Data()).messageID
            amqp_destroy_message(&message)
            returned.append((ret.exchange.string, ret.routing_key.string, ret.reply_text.string, messageID))
        case CRM_BASIC_CANCEL_METHOD:
            throw AMQPError.brokerClosed(operation: "consume", code: 0, text: "consumer cancelled by the broker")
        case CRM_CHANNEL_CLOSE_METHOD, CRM_CONNECTION_CLOSE_METHOD:
            throw Self.closeError(methodID: method.id, decoded: method.decoded, state: state, operation: "wait frame")
        default:
            break
        }
    }

    public func ack(_ deliveryTag: UInt64, multiple: Bool = false) throws {
        let rc = amqp_basic_ack(state, channel, deliveryTag, multiple ? 1 : 0)
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError.library(operation: "basic.ack", message: String(cString: amqp_error_string2(rc)))
        }
    }

    /// Gives deliveries back to the broker (`requeue`) or drops them to the queue's dead-letter exchange.
    public func nack(_ deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws {
        let rc = amqp_basic_nack(state, channel, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0)
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError.library(operation: "basic.nack", message: String(cString: amqp_error_string2(rc)))
        }
    }
}
