import CRabbitMQ
import Foundation

/// Reading a delivery's content frame by frame, instead of `amqp_read_message`, which allocates
/// the whole body as its header declares it before anyone can look at the size.
extension AMQPConnection {
    /// Reads the header and body frames that follow a `basic.deliver`. The body is copied once,
    /// straight from the frames; past `maxBodyBytes` it is skipped and only its size is kept.
    func readDelivery(_ deliver: amqp_frame_t, maxBodyBytes: Int) throws -> Delivery {
        let channelID = deliver.channel
        let method = deliver.payload.method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
        let deliveryTag = method.delivery_tag
        let redelivered = method.redelivered != 0
        let exchange = method.exchange.string
        let routingKey = method.routing_key.string

        var header = amqp_frame_t()
        try wait(&header, on: channelID, "read delivery header")
        guard header.frame_type == UInt8(AMQP_FRAME_HEADER) else {
            throw AMQPError.library(operation: "read delivery", message: "expected a content header frame")
        }
        let properties = header.payload.properties.decoded.assumingMemoryBound(to: amqp_basic_properties_t.self).pointee
        // Everything decoded so far lives in the channel's pool: copied out before it is recycled.
        var message = properties.message(body: Data())
        guard header.payload.properties.body_size <= UInt64(Int.max) else {
            throw AMQPError.library(operation: "read delivery", message: "body size out of range")
        }
        let size = Int(header.payload.properties.body_size)
        let keep = size <= maxBodyBytes
        var body = Data()
        if keep { body.reserveCapacity(size) }
        var read = 0
        while read < size {
            var frame = amqp_frame_t()
            try wait(&frame, on: channelID, "read delivery body")
            let fragment = frame.payload.body_fragment
            guard frame.frame_type == UInt8(AMQP_FRAME_BODY), read + fragment.len <= size else {
                throw AMQPError.library(operation: "read delivery", message: "unexpected frame in a message body")
            }
            if keep, fragment.len > 0, let bytes = fragment.bytes {
                body.append(bytes.assumingMemoryBound(to: UInt8.self), count: fragment.len)
            }
            read += fragment.len
            // Frames are decoded into the channel's pool: recycling it after each keeps a skipped
            // body from piling up there.
            amqp_maybe_release_buffers_on_channel(state, channelID)
        }
        message.body = body
        return Delivery(message: message, deliveryTag: deliveryTag, redelivered: redelivered,
                        exchange: exchange, routingKey: routingKey, bodySize: size)
    }

    /// The next frame, which must be on the delivery's channel: the content of a message is not
    /// interleaved with anything else there (heartbeats are answered inside rabbitmq-c).
    private func wait(_ frame: inout amqp_frame_t, on channelID: amqp_channel_t, _ operation: String) throws {
        let rc = amqp_simple_wait_frame(state, &frame)
        guard rc == AMQP_STATUS_OK.rawValue else {
            throw AMQPError.library(operation: operation, message: String(cString: amqp_error_string2(rc)))
        }
        guard frame.channel == channelID else {
            if frame.frame_type == UInt8(AMQP_FRAME_METHOD),
               frame.payload.method.id == CRM_CHANNEL_CLOSE_METHOD || frame.payload.method.id == CRM_CONNECTION_CLOSE_METHOD {
                throw Self.closeError(methodID: frame.payload.method.id, decoded: frame.payload.method.decoded,
                                      state: state, operation: operation)
            }
            throw AMQPError.library(operation: operation, message: "a frame on channel \(frame.channel) inside a message")
        }
    }
}
