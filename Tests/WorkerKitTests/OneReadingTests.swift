import ClientService
import CRMTestSupport
import Contracts
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// One reading of every message: a key twice is refused, an error lists at most 20 problems, a
/// body over the limit is refused by its announced size, and handlers bound their own limits.
@Suite struct OneReadingTests {
    private func reply(_ harness: ProcessorHarness, to queue: String = "r") throws -> (body: Data, reply: Reply) {
        let message = try #require(try harness.outbox().first { $0.routingKey == queue })
        return (message.body, try JSONCoding.decoder.decode(Reply.self, from: message.body))
    }

    private func deadHeaders(_ harness: ProcessorHarness) throws -> [String: AMQPFieldValue] {
        let dead = try #require(try harness.outbox().first { $0.routingKey == "client-service.dead" })
        return OutboxMessage.decodeHeaders(dead.headers)
    }

    /// A refused request is told in its reply; the same message nobody waits for is dead-lettered
    /// with the reason (the dead queues hold what nobody was told about).
    private func refuse(_ message: AMQPMessage, as reason: DeadLetterReason, bodySize: Int? = nil,
                        maxBodyBytes: Int = 1 << 20) throws -> (body: Data, error: ErrorBody, dead: [String: AMQPFieldValue]) {
        var asked = try ProcessorHarness(maxBodyBytes: maxBodyBytes)
        var request = message
        request.replyTo = "r"
        let answered = try bodySize.map { try asked.process(batch: [request], bodySize: $0)[0] } ?? asked.process(request)
        #expect(answered == .rejected(type: message.type ?? "", code: .validationFailed))
        #expect(try asked.outbox().allSatisfy { $0.routingKey != "client-service.dead" }, "a request is only answered")
        let (body, reply) = try reply(asked)
        var unasked = try ProcessorHarness(maxBodyBytes: maxBodyBytes)
        var event = message
        event.replyTo = nil
        let outcome = try bodySize.map { try unasked.process(batch: [event], bodySize: $0)[0] } ?? unasked.process(event)
        #expect(outcome == .deadLettered(reason))
        return (body, try #require(reply.error), try deadHeaders(unasked))
    }

    @Test func aKeyTwiceIsValidationFailedNamingItsPath() throws {
        var message = orderPlacedMessage(order: "o1")
        let text = String(decoding: message.body, as: UTF8.self)
        message.body = Data(text.replacingOccurrences(of: #""phone":"+79120000001""#,
                                                      with: #""phone":"+79120000001","phone":"+79120000002""#).utf8)
        #expect(message.body.count > text.utf8.count)
        let (_, error, dead) = try refuse(message, as: .duplicateKey)
        #expect(error.code == .validationFailed)
        #expect(error.details == [ErrorDetail(field: "customer.phone", problem: "duplicate_key")])
        #expect(dead[DeadLetterHeader.field] == .string("customer.phone"))
    }

    @Test func aMegabyteOfBadItemsAnswersAFewHundredBytes() throws {
        var message = orderPlacedMessage(order: "o1")
        let text = String(decoding: message.body, as: UTF8.self)
        let items = Array(repeating: "1", count: 520_000).joined(separator: ",")
        message.body = Data(text.replacingOccurrences(of: #""order_id""#, with: "\"items\":[\(items)],\"order_id\"").utf8)
        #expect(message.body.count > 1_000_000 && message.body.count <= 1 << 20)
        let (body, error, dead) = try refuse(message, as: .schemaViolation)
        #expect(error.details.count == ErrorBody.maxDetails)
        #expect(error.total == 520_001, "every item, and too_many_items")
        #expect(body.count < 2_000, "the reply has \(body.count) bytes")
        #expect(try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()).validate(JSONValue.parse(body), type: "reply") == [])
        #expect((dead[DeadLetterHeader.detail]?.stringValue?.utf8.count ?? .max) <= 1_000)
    }

    @Test func aBodyDroppedByTheConsumerIsRefusedByItsAnnouncedSize() throws {
        let message = AMQPMessage(body: Data(), messageID: "big", type: "order.placed")
        let (_, error, dead) = try refuse(message, as: .bodyTooLarge, bodySize: 5_000, maxBodyBytes: 1024)
        #expect(dead[DeadLetterHeader.reason] == .string("body_too_large"))
        #expect(dead[DeadLetterHeader.bodyDropped] == .int(5_000))
        #expect(error.code == .validationFailed && error.details.first?.problem == "too_large")
        #expect(error.message.contains("5000"))
    }

    /// Handlers refuse a bad `limit` themselves: here the schemas of both queries are missing.
    @Test func limitsAreCheckedByTheHandlersToo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in try FileManager.default.contentsOfDirectory(atPath: SchemaRegistry.defaultDirectory().path)
        where file.hasSuffix(".schema.json") && file != "client.search.schema.json" && file != "client.history.schema.json" {
            try FileManager.default.copyItem(at: SchemaRegistry.defaultDirectory().appendingPathComponent(file),
                                             to: folder.appendingPathComponent(file))
        }
        var harness = try ProcessorHarness(schemasDirectory: folder)
        let anna = try harness.card("client.create", ClientSearchTests.person("Анна", "Иванова", phone: "+79120000001"))
        for limit in [-1, 0, 101, Int.max, Int.min] {
            let answer = try harness.ask("client.search", ClientSearch(storeID: "s1", query: "анна", limit: limit))
            #expect(answer.error?.details.first?.field == "limit", "\(limit)")
        }
        #expect(try harness.ask("client.search", ClientSearch(storeID: "s1", query: "анна", limit: 100)).ok)
        for limit in [-1, 0, 1001, Int.max] {
            let answer = try harness.ask("client.history", ClientHistoryQuery(storeID: "s1", clientID: anna.clientID, limit: limit))
            #expect(answer.error?.details.first?.field == "limit", "\(limit)")
        }
        #expect(try harness.ask("client.history", ClientHistoryQuery(storeID: "s1", clientID: anna.clientID, limit: 1)).ok)
    }
}
