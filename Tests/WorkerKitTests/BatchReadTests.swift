import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
import Testing
@testable import WorkerKit

/// What a batch's messages of one type read is read for all of them at once (PostgreSQL), and
/// each handler finds its own value until a handler of another type has run.
@Suite struct BatchReadTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]
        func set(_ key: String, _ value: String?) { lock.withLock { values[key] = value ?? "-" } }
        var all: [String: String] { lock.withLock { values } }
    }

    @Test(arguments: TestEngine.all) func eachHandlerFindsItsOwnValueUntilAnotherTypeRuns(engine: TestEngine) throws {
        let seen = Seen()
        var h = try ProcessorHarness(engine: engine) { registry in
            registry.batchRead("order.placed", OrderPlaced.self) { db, orders in
                try db.rowsEach("SELECT ? AS id", orders.map { ["read " + ($0?.orderID ?? "?")] }).map { $0.first?["id"] as String? }
            }
            registry.event("order.placed", OrderPlaced.self) { _, order, context in seen.set(order.orderID, context.batchRead as? String) }
        }
        let status = AMQPMessage(body: Data("{}".utf8), messageID: "q1", type: "client-service.status", replyTo: "replies")
        let outcomes = try h.process(batch: [
            orderPlacedMessage(order: "o1"), orderPlacedMessage(order: "o2"), status, orderPlacedMessage(order: "o3"),
        ])
        #expect(outcomes.allSatisfy { if case .handled = $0 { true } else { false } }, "\(outcomes)")
        let expected = engine == .postgres
            ? ["o1": "read o1", "o2": "read o2", "o3": "-"]  // o3 comes after another type's handler
            : ["o1": "-", "o2": "-", "o3": "-"]              // SQLite: a read is no round trip
        #expect(seen.all == expected)
    }

    /// The orders of one batch that depend on each other: one new buyer twice, one order twice,
    /// a card created between, a phone in national form. Each sees what the ones before wrote.
    @Test(arguments: TestEngine.all) func ordersOfOneBatchSeeWhatTheOnesBeforeWrote(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let create = AMQPMessage(body: try JSONCoding.encoder.encode(ClientMergeTests.client("Вера", phone: "+79120000099", email: "v@example.ru", groups: [])),
                                 messageID: "m-create", type: "client.create", replyTo: "replies", appID: "crmctl")
        let outcomes = try h.process(batch: [
            orderPlacedMessage(order: "o1", phone: "+79120000001", messageID: "m1"),
            orderPlacedMessage(order: "o2", phone: "+79120000001", messageID: "m2"),
            orderPlacedMessage(order: "o1", phone: "+79120000001", messageID: "m3"),
            orderPlacedMessage(order: "o3", phone: "+79120000003", messageID: "m4"),
            create,
            orderPlacedMessage(order: "o4", phone: "+79120000099", messageID: "m5"),
            orderPlacedMessage(order: "o5", phone: "8 912 000-00-01", messageID: "m6"),
        ])
        #expect(outcomes.allSatisfy { if case .handled = $0 { true } else { false } }, "\(outcomes)")
        let attributed = try h.outbox().filter { $0.routingKey == "order.attributed" }
            .map { try JSONCoding.decoder.decode(OrderAttributed.self, from: $0.body) }
        let clientOf = Dictionary(attributed.map { ($0.orderID, $0.clientID) }, uniquingKeysWith: { first, _ in first })
        #expect(attributed.count == 5, "o1 once, under either message id")
        #expect(clientOf["o2"] == clientOf["o1"] && clientOf["o5"] == clientOf["o1"], "one buyer, one card")
        let created = try h.storage.read { db in try db.value("SELECT id FROM client WHERE email = 'v@example.ru'", as: String.self) }
        #expect(clientOf["o4"] == created, "the card created earlier in the batch")
        #expect(try h.count("SELECT COUNT(*) FROM client") == 3, "a guest for +7…01, one for +7…03, the card created")
        #expect(try h.count("SELECT COUNT(*) FROM client_order") == 5)
    }
}
