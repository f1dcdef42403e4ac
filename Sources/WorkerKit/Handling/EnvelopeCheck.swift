import Contracts
import Messaging

/// The checks a delivery passes before its body is read: size, content type, message id, type.
struct EnvelopeCheck {
    struct Accepted {
        let messageID: String
        let type: String
        let entry: HandlerRegistry.Entry
    }

    enum Result {
        case accepted(Accepted)
        case rejected(DeadLetterReason, ErrorBody)
    }

    let maxBodyBytes: Int
    let workQueue: String
    let registry: HandlerRegistry

    func run(_ delivery: Delivery) -> Result {
        let message = delivery.message
        // The size the broker announced: the consumer does not keep a body over the limit.
        if delivery.bodySize > maxBodyBytes {
            return reject(.bodyTooLarge, field: "", problem: "too_large",
                          "the body has \(delivery.bodySize) bytes; the limit is \(maxBodyBytes)")
        }
        // The exact spelling needs no parsing (nearly every message); parameters and case do.
        let contentType = message.contentType == "application/json" ? "application/json"
            : message.contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard contentType == "application/json" else {
            return reject(.wrongContentType, field: "content_type", problem: "invalid_value",
                          "content_type must be application/json, not \(message.contentType ?? "absent")")
        }
        guard let messageID = message.messageID, !messageID.isEmpty else {
            return reject(.missingMessageID, field: "message_id", problem: "required", "message_id is required")
        }
        // A retried message comes back with the work queue as its routing key: the type property is the truth.
        let routingType = delivery.routingKey == workQueue ? nil : delivery.routingKey
        guard let type = message.type.flatMap({ $0.isEmpty ? nil : $0 }) ?? routingType else {
            return reject(.missingType, field: "type", problem: "required", "the type property is required")
        }
        guard let entry = registry.entry(for: type) else {
            return reject(.unknownType, field: "type", problem: "unknown_type", "no handler for type \(type)")
        }
        return .accepted(Accepted(messageID: messageID, type: type, entry: entry))
    }

    private func reject(_ reason: DeadLetterReason, field: String, problem: String, _ message: String) -> Result {
        .rejected(reason, .validationFailed([ErrorDetail(field: field, problem: problem)], message: message))
    }
}
