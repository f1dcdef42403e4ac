import Contracts
import Foundation

// The e-mail effect's payload is written by the send handler and read back by the performer once
// per e-mail: by hand, without JSONEncoder/JSONDecoder (they were ~5 % of the service's CPU per
// mail). Keys as in `EmailSend.CodingKeys`, sorted; NotificationServiceTests hold both paths equal.
extension EmailSend: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(storeID: try json.string("store_id"), deliveryID: try json.string("delivery_id"), to: try json.string("to"),
                  subject: try json.string("subject"), text: try json.string("text"), html: try json.optionalString("html"),
                  attachments: try json.optionalArray("attachments") { try EmailAttachment(json: JSONFields($0, path: $1)) } ?? [])
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("attachments", attachments)
            json.field("delivery_id", deliveryID)
            json.field("html", html)
            json.field("store_id", storeID)
            json.field("subject", subject)
            json.field("text", text)
            json.field("to", to)
        }
    }

    /// The payload as the runner hands it over (bytes of one JSON object).
    static func read(_ payload: Data) throws -> EmailSend {
        try EmailSend(json: JSONFields(JSONValue.parse(payload)))
    }
}

extension EmailSent: JSONValueDecodable {
    public init(json: JSONFields) throws {
        self.init(messageID: try json.string("message_id"))
    }
}
