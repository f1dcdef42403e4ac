/// What can go wrong talking to the broker. The consumer and the relay open a new connection
/// after any of these; callers of `RequestClient` match `.unroutable` and `.timeout`.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// The socket could not be opened or the login failed.
    case connectFailed(String)
    /// A library-level failure (socket closed, heartbeat missed, bad frame).
    case library(operation: String, message: String)
    /// The broker closed the channel or the connection with a reason (e.g. 406 PRECONDITION_FAILED).
    case brokerClosed(operation: String, code: UInt16, text: String)
    /// A mandatory message that no queue was bound for came back.
    case unroutable(exchange: String, routingKey: String, text: String, messageID: String?)
    /// The broker refused a published message (basic.nack).
    case nacked(count: Int)
    case timeout(String)

    public var description: String {
        switch self {
        case .invalidURL(let url): return "invalid AMQP URL \(url)"
        case .connectFailed(let why): return "cannot connect to the broker: \(why)"
        case .library(let op, let message): return "\(op): \(message)"
        case .brokerClosed(let op, let code, let text): return "\(op): broker closed with \(code) \(text)"
        case .unroutable(let exchange, let key, let text, _):
            return "no queue is bound for '\(key)' on '\(exchange)' (\(text))"
        case .nacked(let count): return "the broker refused \(count) message(s)"
        case .timeout(let what): return "timed out: \(what)"
        }
    }
}
