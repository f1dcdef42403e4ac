import Foundation

// The hand-written JSON of what goes once per e-mail: the command `notification.send`, an
// attachment (inside the e-mail effect's payload) and the outcome event (`notification.delivered`
// / `notification.failed`). Keys as in the types' CodingKeys, sorted; ContractsTests/FastJSONTests
// hold both paths equal.

extension EmailAttachment: JSONValueDecodable, JSONWritable {
    public init(json: JSONFields) throws {
        self.init(filename: try json.string("filename"), contentType: try json.string("content_type"),
                  contentBase64: try json.string("content_base64"))
    }

    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("content_base64", contentBase64)
            json.field("content_type", contentType)
            json.field("filename", filename)
        }
    }
}

extension NotificationSend: JSONValueDecodable {
    public init(json: JSONFields) throws {
        let params: [String: JSONValue]?
        switch json.fields["params"] {
        case nil, .null?: params = nil
        case .object(let fields)?: params = fields
        default: throw ErrorBody.validationFailed([ErrorDetail(field: json.path.isEmpty ? "params" : "\(json.path).params",
                                                               problem: "invalid_type")])
        }
        self.init(storeID: try json.string("store_id"), channel: try json.value("channel", as: Channel.self),
                  recipient: try json.optionalString("recipient"), clientID: try json.optionalString("client_id"),
                  template: try json.string("template"), locale: try json.optionalString("locale"), params: params,
                  category: try json.value("category", as: Category.self),
                  attachments: try json.optionalArray("attachments") { try EmailAttachment(json: JSONFields($0, path: $1)) })
    }
}

extension NotificationOutcome: JSONWritable {
    public func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("at", at)
            json.field("attempts", Int64(attempts))
            json.field("category", category.rawValue)
            json.field("channel", channel.rawValue)
            json.field("client_id", clientID)
            json.field("delivery_id", deliveryID)
            json.field("event_id", eventID)
            json.field("event_type", eventType)
            json.field("reason", reason)
            json.field("recipient", recipient)
            json.field("store_id", storeID)
            json.field("template", template)
            json.field("webhook_id", webhookID)
        }
    }
}

// An effect's result as its service reads it back (`<kind>.completed`, once per e-mail), when its
// payload and result build themselves by hand too.
extension EffectCompleted: JSONValueDecodable where Payload: JSONValueDecodable, Result: JSONValueDecodable {
    public init(json: JSONFields) throws {
        let result: Result?
        switch json.fields["result"] {
        case nil, .null?: result = nil
        case let value?: result = try Result(json: JSONFields(value, path: json.path.isEmpty ? "result" : "\(json.path).result"))
        }
        self.init(effectID: try json.int64("effect_id"), kind: try json.string("kind"), attempts: Int(try json.int64("attempts")),
                  payload: try Payload(json: json.object("payload")), result: result, failure: try json.optionalString("failure"),
                  completedAt: try json.date("completed_at"))
    }
}
