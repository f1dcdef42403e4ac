import Messaging

/// Keeps a dead letter's header table small enough for any frame: the sender's own headers are
/// left out when they are large (the reason, the detail and the routing headers always stay).
enum DeadLetterHeaders {
    /// Far below the 128 KiB frame the services negotiate, with room for the properties.
    static let maxBytes = 16 * 1024
    /// Any single header value beyond this is cut.
    static let maxValueBytes = 2 * 1024

    static func cap(_ message: inout AMQPMessage) {
        for (key, value) in message.headers {
            if case .string(let text) = value, text.utf8.count > maxValueBytes {
                message.headers[key] = .string(String(decoding: text.utf8.prefix(maxValueBytes), as: UTF8.self))
            }
        }
        guard size(message.headers) > maxBytes else { return }
        let dropped = message.headers.keys.filter { !isOurs($0) }
        for key in dropped { message.headers[key] = nil }
        message.headers[DeadLetterHeader.headersDropped] = .int(Int64(dropped.count))
    }

    private static func isOurs(_ key: String) -> Bool {
        key.hasPrefix("x-dead-") || key.hasPrefix("x-original-") || key == DeadLetterHeader.retryCount
    }

    /// Roughly the encoded size: key, value and a few bytes of type and length each.
    private static func size(_ headers: [String: AMQPFieldValue]) -> Int {
        headers.reduce(0) { total, entry in
            let value: Int
            switch entry.value {
            case .string(let text): value = text.utf8.count + 5
            case .int: value = 9
            case .bool: value = 2
            }
            return total + entry.key.utf8.count + 1 + value
        }
    }
}
