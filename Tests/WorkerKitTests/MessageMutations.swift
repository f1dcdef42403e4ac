import Contracts
import CRMTestSupport
import Foundation
import Messaging
import WorkerKit

/// One message of a generated run: which valid message it starts from, how it is spoiled, and
/// the seed of the spoiling's choices (which field, which garbage). `endsBatch` closes a consumer batch.
struct MessagePlan: Sendable, CustomStringConvertible {
    var template: Int
    var mutation: Mutation
    var seed: UInt64
    var endsBatch: Bool

    var description: String {
        "\(MessageTemplates.types[template]) \(mutation) seed \(seed)\(endsBatch ? " |" : "")"
    }
}

/// The ways a message is spoiled: in its body, in its envelope, or by coming again.
enum Mutation: String, CaseIterable, Sendable {
    case none, dropField, wrongType, hugeNumber, negativeNumber, unicodeGarbage, invalidUTF8, truncated,
         extraField, deepNesting, resent, reusedMessageID, wrongContentType, missingMessageID, unknownType
}

/// Valid bodies: the examples of schemas/examples/, made distinct by the message's number (order
/// id, phone, e-mail) so that none repeats another. A fresh database handles them all but
/// `client.get`, which it refuses with `not_found` (the example's client does not exist).
enum MessageTemplates {
    static let types = ["order.placed", "client.create", "client.search", "store.list", "client.get"]
    static let examples: [String: JSONValue] = {
        let folder = SchemaRegistry.defaultDirectory().appendingPathComponent("examples")
        return Dictionary(uniqueKeysWithValues: types.map { type in
            (type, try! JSONValue.parse(Data(contentsOf: folder.appendingPathComponent("\(type).json"))))
        })
    }()

    static func body(_ template: Int, number n: Int) -> JSONValue {
        let type = types[template]
        guard case .object(var body) = examples[type]! else { fatalError("\(type): the example is no object") }
        if body["store_id"] != nil { body["store_id"] = .string("s1") }
        switch type {
        case "order.placed":
            body["order_id"] = .string("o-\(n)")
            guard case .object(var customer) = body["customer"]! else { fatalError("no customer") }
            customer["phone"] = .string("+7912" + String(format: "%07d", n))
            customer["email"] = .string("buyer\(n)@example.ru")
            customer["external_id"] = .string("u-\(n)")
            body["customer"] = .object(customer)
        case "client.create":
            body["phone"] = .string("+7913" + String(format: "%07d", n))
            body["email"] = .string("client\(n)@example.ru")
        default: break
        }
        return .object(body)
    }

    static func isQuery(_ type: String) -> Bool { ["client.search", "store.list", "client.get"].contains(type) }

    static func isValidOutcome(_ outcome: MessageProcessor.Outcome, type: String) -> Bool {
        switch outcome {
        case .handled: type != "client.get"
        case .rejected(_, .notFound): type == "client.get"
        default: false
        }
    }
}


extension MessagePlan {
    /// The message this plan stands for, as the `n`-th of a run; `earlier` are the run's messages so far.
    func message(number n: Int, earlier: [AMQPMessage]) -> AMQPMessage {
        var random = SplitMix64(state: seed)
        let type = MessageTemplates.types[template]
        let valid = MessageTemplates.body(template, number: n)
        var message = AMQPMessage(body: Self.encode(valid), messageID: "m-\(n)", type: type,
                                  replyTo: MessageTemplates.isQuery(type) || type == "client.create" ? "replies" : nil,
                                  appID: "property-test")
        switch mutation {
        case .none: break
        case .resent:
            if let again = earlier.randomElement(using: &random) { message = again }
        case .reusedMessageID:
            if let id = earlier.compactMap(\.messageID).filter({ !$0.isEmpty }).randomElement(using: &random) {
                message.messageID = id
            }
        case .wrongContentType:
            message.contentType = ["text/plain", nil, "application/xml", "application/jsonx", ""].randomElement(using: &random)!
        case .missingMessageID:
            message.messageID = Bool.random(using: &random) ? nil : ""
        case .unknownType:
            message.type = ["order.teleported", "client.create ", "CLIENT.CREATE", "client.created", "💥"].randomElement(using: &random)!
        default:
            var mutator = BodyMutator(random: random)
            message.body = mutator.apply(mutation, to: valid)
        }
        return message
    }

    static func encode(_ value: JSONValue) -> Data { try! JSONCoding.encoder.encode(value) }
}
