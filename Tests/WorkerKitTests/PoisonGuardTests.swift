import CRMTestSupport
import Contracts
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// The storage and processor parts of the poison guard, without a broker (the crash loop itself
/// is PoisonThroughBrokerTests).
@Suite struct PoisonGuardTests {
    @Test(arguments: TestEngine.all) func attemptsAreCountedPerMessageAndSenderAndClearedWhenSettled(engine: TestEngine) throws {
        let harness = try ProcessorHarness(engine: engine)
        let counts = try harness.storage.write { db in
            [try DeliveryAttempt.count(db, messageID: "m1", userID: "shop-s1", at: Date()),
             try DeliveryAttempt.count(db, messageID: "m1", userID: "shop-s1", at: Date()),
             try DeliveryAttempt.count(db, messageID: "m1", userID: "shop-s2", at: Date())]
        }
        #expect(counts == [2, 3, 2], "the first, uncounted delivery is attempt 1")
        try harness.storage.write { db in try DeliveryAttempt.clear(db, messageID: "m1", userID: "shop-s1") }
        #expect(try harness.count("SELECT COUNT(*) FROM delivery_attempt") == 1)
    }

    @Test(arguments: TestEngine.all) func aMessageGivenUpIsDeadLetteredWithoutItsHandlerAndAnswered(engine: TestEngine) throws {
        let harness = try ProcessorHarness(engine: engine)
        let message = orderPlacedMessage(order: "o1", messageID: "m1", replyTo: "r")
        let delivery = Delivery(message: message, deliveryTag: 1, redelivered: true, exchange: Exchanges.events,
                                routingKey: "order.placed")
        let outcome = try harness.storage.write { db in try harness.processor.giveUp(delivery, attempts: 6, in: db) }
        #expect(outcome == .deadLettered(.tooManyAttempts))
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 0, "the handler did not run")
        let outbox = try harness.outbox()
        let dead = try #require(outbox.first { $0.routingKey == "client-service.dead" })
        let headers = OutboxMessage.decodeHeaders(dead.headers)
        #expect(headers[DeadLetterHeader.reason] == .string("too_many_attempts"))
        #expect(headers[DeadLetterHeader.attempts] == .int(6))
        let reply = try JSONCoding.decoder.decode(Reply.self, from: try #require(outbox.first { $0.routingKey == "r" }).body)
        #expect(reply.error?.code == .internal)
    }

    @Test(arguments: TestEngine.all) func oneSendersMessageIDDoesNotMarkAnothersAsHandled(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        var first = orderPlacedMessage(store: "s1", order: "o1", messageID: "same")
        first.userID = "shop-s1"
        var second = orderPlacedMessage(store: "s2", order: "o2", messageID: "same")
        second.userID = "shop-s2"
        guard case .handled = try harness.process(first), case .handled = try harness.process(second) else {
            Issue.record("both are new messages"); return
        }
        #expect(try harness.process(first) == .duplicate)
    }

    @Test(arguments: TestEngine.all) func aDeadLettersHeaderTableIsCapped(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        var message = AMQPMessage(body: Data("{".utf8), contentType: "application/json", messageID: "big-headers",
                                  type: "order.placed")
        for i in 0..<40 { message.headers["x-shop-\(i)"] = .string(String(repeating: "h", count: 1_000)) }
        message.headers["x-huge"] = .string(String(repeating: "x", count: 50_000))
        #expect(try harness.process(message) == .deadLettered(.malformedJSON))
        let dead = try #require(try harness.outbox().first { $0.routingKey == "client-service.dead" })
        let headers = OutboxMessage.decodeHeaders(dead.headers)
        #expect(dead.headers.utf8.count < DeadLetterHeaders.maxBytes)
        #expect(headers["x-shop-0"] == nil && headers[DeadLetterHeader.headersDropped] == .int(41))
        #expect(headers[DeadLetterHeader.reason] == .string("malformed_json"))
    }
}
