import CRMTestSupport
import Contracts
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// Every kind of bad input is dead-lettered with its reason, or, when a reply was asked for,
/// answered with `validation_failed` naming the field and not dead-lettered; the state is untouched.
@Suite struct BadInputTests {
    static let goodBody = orderPlacedMessage(order: "o1").body

    static let cases: [(String, AMQPMessage, DeadLetterReason, String)] = [
        ("not JSON", AMQPMessage(body: Data("{not json".utf8), messageID: "b1", type: "order.placed", replyTo: "r"),
         .malformedJSON, ""),
        ("wrong content type", AMQPMessage(body: goodBody, contentType: "text/plain", messageID: "b2", type: "order.placed", replyTo: "r"),
         .wrongContentType, "content_type"),
        ("no message id", AMQPMessage(body: goodBody, messageID: nil, type: "order.placed", replyTo: "r"),
         .missingMessageID, "message_id"),
        ("unknown type", AMQPMessage(body: goodBody, messageID: "b4", type: "order.teleported", replyTo: "r"),
         .unknownType, "type"),
        ("schema violation", AMQPMessage(body: Data(#"{"store_id":"s1","order_id":"o9"}"#.utf8), messageID: "b5", type: "order.placed", replyTo: "r"),
         .schemaViolation, "placed_at"),
        ("unknown field", AMQPMessage(body: Data(String(decoding: goodBody, as: UTF8.self).replacingOccurrences(of: "\"store_id\"", with: "\"shipping\":1,\"store_id\"").utf8),
                                      messageID: "b6", type: "order.placed", replyTo: "r"),
         .schemaViolation, "shipping"),
    ]
    // An order with an impossible phone is no bad input: it is attributed by its other keys
    // (OrderBuyerKeysTests).

    @Test(arguments: 0..<cases.count)
    func badInputIsDeadLetteredWithItsReason(index: Int) throws {
        let (name, message, reason, field) = Self.cases[index]
        var unanswerable = message
        unanswerable.replyTo = nil
        var harness = try ProcessorHarness()
        #expect(try harness.process(unanswerable) == .deadLettered(reason), "\(name)")
        let dead = try #require(try harness.outbox().first { $0.routingKey == "client-service.dead" }, "\(name)")
        let headers = OutboxMessage.decodeHeaders(dead.headers)
        #expect(headers[DeadLetterHeader.reason] == .string(reason.rawValue))
        #expect(dead.body == message.body, "the dead letter keeps the original body")
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 0)

        // A request is told, and that is all: nothing for the dead queue.
        harness = try ProcessorHarness()
        guard case .rejected(_, .validationFailed) = try harness.process(message) else {
            Issue.record("\(name): not answered as refused"); return
        }
        let outbox = try harness.outbox()
        #expect(!outbox.contains { $0.routingKey == "client-service.dead" }, "\(name): answered and dead-lettered")
        let reply = try #require(outbox.first { $0.routingKey == "r" }, "\(name): a reply was asked for")
        let decoded = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
        #expect(decoded.error?.code == .validationFailed)
        #expect(decoded.error?.details.contains { $0.field == field } == true, "\(name): \(String(describing: decoded.error))")
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 0)
    }

    @Test func oversizedBodyIsRefusedBeforeItIsRead() throws {
        var harness = try ProcessorHarness(maxBodyBytes: 1024)
        let huge = AMQPMessage(body: Data(repeating: 0x20, count: 4096), messageID: "big", type: "order.placed")
        #expect(try harness.process(huge) == .deadLettered(.bodyTooLarge))
    }

    @Test func aReplayedDeadLetterIsHandledAgain() throws {
        var harness = try ProcessorHarness()
        func create(phone: String) throws -> AMQPMessage {
            AMQPMessage(body: try JSONCoding.encoder.encode(ClientCardTests.anna(phone)), messageID: "m1", type: "client.create",
                        appID: "crmctl", userID: DevelopmentUsers.operatorName)
        }
        var message = try create(phone: "nonsense!")
        #expect(try harness.process(message) == .deadLettered(.invalidValue))
        #expect(try harness.process(message) == .duplicate)
        message = try create(phone: "+79120000001")
        message.headers[DeadLetterHeader.replayed] = .bool(true)
        guard case .handled = try harness.process(message) else { Issue.record("replay not handled"); return }
    }
}
