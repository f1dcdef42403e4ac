import Contracts
import Foundation
import Messaging

/// Takes secrets out of a message before it goes to `<service>.dead`: a dead letter is read by
/// operators and kept for days, and secrets are never dead-lettered. The secret fields of a type
/// are its schema's top-level `writeOnly` properties (`SchemaRegistry.secretFields`).
///
/// The field is removed, not masked: a replayed dead letter then lacks it (and is refused or
/// keeps the stored value) instead of saving a placeholder as the secret.
enum SecretRedaction {
    /// Names the removed fields, so that an operator knows the dead letter is not the whole message.
    static let header = "x-dead-redacted"

    static func redact(_ message: inout AMQPMessage, fields: Set<String>) {
        guard !fields.isEmpty else { return }
        guard case .object(var object)? = try? JSONValue.parse(message.body) else {
            // Not a JSON object (malformed): nothing can tell where a secret is in it, so none of it goes.
            message.body = Data()
            message.headers[header] = .string("body")
            return
        }
        let present = fields.filter { object[$0] != nil }.sorted()
        guard !present.isEmpty else { return }
        for name in present { object[name] = nil }
        guard let body = try? JSONCoding.encoder.encode(JSONValue.object(object)) else {
            message.body = Data()
            message.headers[header] = .string("body")
            return
        }
        message.body = body
        message.headers[header] = .string(present.joined(separator: ","))
    }
}
