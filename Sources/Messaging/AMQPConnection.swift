import CRabbitMQ
import Foundation

/// One connection to the broker with one channel, owning rabbitmq-c's connection state and
/// freeing it in `deinit`.
///
/// rabbitmq-c is not thread-safe: a connection, its socket and its channel belong to one thread,
/// and heartbeats are only serviced inside library calls. So each user (a consumer loop, the
/// outbox relay, a request client) opens its own connection and calls it from one thread only;
/// `@unchecked Sendable` is what lets it be handed to that thread.
public final class AMQPConnection: @unchecked Sendable {
    let state: amqp_connection_state_t
    let channel: amqp_channel_t = 1
    public let url: AMQPURL
    private var isClosed = false
    /// Sequence numbers of published messages not yet confirmed (confirm mode only).
    var unconfirmed = Set<UInt64>()
    var nextPublishSequence: UInt64 = 1
    var confirmMode = false
    /// Whether `publish` puts the connection's user into `user_id` when the message names none.
    public var stampsUserID = true
    var nackedCount = 0
    /// Sequence numbers the broker nacked on this connection (rare: kept until it closes).
    var nackedSequences = Set<UInt64>()
    var returned: [(exchange: String, routingKey: String, text: String, messageID: String?)] = []

    public init(url: AMQPURL, connectTimeout: Duration = .seconds(10)) throws {
        self.state = try Self.open(url: url, connectTimeout: connectTimeout)
        self.url = url
    }

    deinit {
        if !isClosed { _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS) }
        amqp_destroy_connection(state)
    }

    /// Closes the connection politely; the object stays valid but every further call fails.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = amqp_channel_close(state, channel, AMQP_REPLY_SUCCESS)
        _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
    }

    private static func open(url: AMQPURL, connectTimeout: Duration) throws -> amqp_connection_state_t {
        guard let state = amqp_new_connection() else { throw AMQPError.connectFailed("out of memory") }
        do {
            let socket = try makeSocket(state: state, url: url)
            var tv = timeval(duration: connectTimeout)
            let rc = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &tv)
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw AMQPError.connectFailed("\(url): \(String(cString: amqp_error_string2(rc)))")
            }
            let login = crm_amqp_login_plain(
                state, url.vhost, 0, 131_072, Int32(url.heartbeatSeconds), url.user, url.password)
            try checkReply(login, state: state, operation: "login to \(url)")
            _ = amqp_channel_open(state, 1)
            try checkReply(amqp_get_rpc_reply(state), state: state, operation: "channel.open")
            return state
        } catch {
            amqp_destroy_connection(state)
            throw error
        }
    }

    private static func makeSocket(state: amqp_connection_state_t, url: AMQPURL) throws -> OpaquePointer {
        guard url.tls else {
            guard let socket = amqp_tcp_socket_new(state) else { throw AMQPError.connectFailed("no socket") }
            return socket
        }
        guard let socket = amqp_ssl_socket_new(state) else { throw AMQPError.connectFailed("no TLS socket") }
        amqp_ssl_socket_set_verify_peer(socket, url.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, url.verifyPeer ? 1 : 0)
        if let ca = url.caCertFile, amqp_ssl_socket_set_cacert(socket, ca) != AMQP_STATUS_OK.rawValue {
            throw AMQPError.connectFailed("cannot read CA certificate \(ca)")
        }
        if let cert = url.certFile, let key = url.keyFile,
           amqp_ssl_socket_set_key(socket, cert, key) != AMQP_STATUS_OK.rawValue {
            throw AMQPError.connectFailed("cannot read client certificate \(cert)")
        }
        return socket
    }

    func check(_ reply: amqp_rpc_reply_t, _ operation: String) throws {
        try Self.checkReply(reply, state: state, operation: operation)
    }

    /// Turns an RPC reply into an error, answering the broker's close so the socket ends cleanly.
    static func checkReply(_ reply: amqp_rpc_reply_t, state: amqp_connection_state_t, operation: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw AMQPError.library(operation: operation, message: String(cString: amqp_error_string2(reply.library_error)))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            throw closeError(methodID: reply.reply.id, decoded: reply.reply.decoded, state: state, operation: operation)
        default:
            throw AMQPError.library(operation: operation, message: "no reply")
        }
    }

    static func closeError(methodID: amqp_method_number_t, decoded: UnsafeMutableRawPointer?,
                           state: amqp_connection_state_t, operation: String) -> AMQPError {
        if methodID == CRM_CONNECTION_CLOSE_METHOD, let decoded {
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, CRM_CONNECTION_CLOSE_OK_METHOD, &ok)
            return .brokerClosed(operation: operation, code: close.reply_code, text: close.reply_text.string)
        }
        if methodID == CRM_CHANNEL_CLOSE_METHOD, let decoded {
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t()
            _ = amqp_send_method(state, 1, CRM_CHANNEL_CLOSE_OK_METHOD, &ok)
            return .brokerClosed(operation: operation, code: close.reply_code, text: close.reply_text.string)
        }
        return .library(operation: operation, message: "unexpected method \(methodID)")
    }
}

extension timeval {
    init(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

extension amqp_bytes_t {
    var string: String {
        guard len > 0, let bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: len), as: UTF8.self)
    }

    var data: Data {
        guard len > 0, let bytes else { return Data() }
        return Data(bytes: bytes, count: len)
    }
}
