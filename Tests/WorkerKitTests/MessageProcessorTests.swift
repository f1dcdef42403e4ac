import ClientService
import CRMTestSupport
import Contracts
import Foundation
import Messaging
import Testing
@testable import WorkerKit

@Suite struct MessageProcessorTests {
    @Test(arguments: TestEngine.all) func handledMessageWritesStateInboxAndOutboxTogether(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        let outcome = try harness.process(orderPlacedMessage(order: "o1", messageID: "m1"))
        guard case .handled(let type, _) = outcome else { Issue.record("not handled: \(outcome)"); return }
        #expect(type == "order.placed")
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM inbox WHERE message_id = 'm1' AND outcome = 'handled'") == 1)
        let outbox = try harness.outbox()
        #expect(outbox.map(\.routingKey) == ["order.attributed"])
        #expect(outbox.first?.exchange == Exchanges.events)
        #expect(outbox.first?.correlationID == "m1")
    }

    @Test(arguments: TestEngine.all) func redeliveredMessageIsSkipped(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        _ = try harness.process(orderPlacedMessage(order: "o1", messageID: "m1"))
        #expect(try harness.process(orderPlacedMessage(order: "o1", messageID: "m1")) == .duplicate)
        #expect(try harness.outbox().count == 1)
    }

    @Test(arguments: TestEngine.all) func sameOrderUnderTwoMessageIDsIsAttributedOnce(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        _ = try harness.process(orderPlacedMessage(order: "o1", messageID: "m1"))
        _ = try harness.process(orderPlacedMessage(order: "o1", messageID: "m2"))
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 1)
        #expect(try harness.outbox().count == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM client") == 1)
    }

    @Test(arguments: TestEngine.all) func commandRepliesThroughTheOutboxWithTheCorrelationID(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        let query = AMQPMessage(body: Data("{}".utf8), messageID: "q1", type: "client-service.status",
                                correlationID: "corr-1", replyTo: "reply-queue")
        _ = try harness.process(query)
        let reply = try #require(try harness.outbox().first)
        #expect(reply.exchange == "")
        #expect(reply.routingKey == "reply-queue")
        #expect(reply.correlationID == "corr-1")
        let decoded = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
        #expect(decoded.ok)
        #expect(decoded.result?["service"] == .string("client-service"))
    }

    @Test(arguments: TestEngine.all) func transientFailuresGoThroughTheRetryQueuesThenDie(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine, extraHandlers: { registry in
            registry.event("order.placed", OrderPlaced.self) { _, _, _ in throw TransientFailure("blacklist API down") }
        })
        var message = orderPlacedMessage(order: "o1", messageID: "m1")
        #expect(try harness.process(message) == .retried(step: 1))
        // The retries come back published by the service itself, the original sender in a header.
        message.headers[AccessControl.originalUserHeader] = .string(DevelopmentUsers.adminName)
        message.userID = "client-service"
        message.headers[DeadLetterHeader.retryCount] = .int(1)
        #expect(try harness.process(message, routingKey: harness.topology.workQueue) == .retried(step: 2))
        message.headers[DeadLetterHeader.retryCount] = .int(2)
        #expect(try harness.process(message, routingKey: harness.topology.workQueue) == .deadLettered(.retriesExhausted))
        let routes = try harness.outbox().map(\.routingKey)
        #expect(routes == ["client-service.retry.1", "client-service.retry.2", "client-service.dead"])
        // The retried message was never recorded as handled, so its retries were not skipped.
        #expect(try harness.count("SELECT COUNT(*) FROM inbox WHERE outcome = 'dead'") == 1)
    }
}

@Suite struct InboxRetentionTests {
    @Test(arguments: TestEngine.all) func oldMessageIDsArePrunedAndRecentOnesKept(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine)
        _ = try harness.process(orderPlacedMessage(order: "o1", messageID: "old"))
        _ = try harness.process(orderPlacedMessage(order: "o2", messageID: "new"))
        try harness.storage.write { db in
            try db.execute("UPDATE inbox SET processed_at = ? WHERE message_id = 'old'",
                           [Date(timeIntervalSinceNow: -10 * 24 * 3600).databaseText])
        }
        let pruned = try harness.storage.write { db in try InboxEntry.prune(db, before: Date(timeIntervalSinceNow: -7 * 24 * 3600)) }
        #expect(pruned == 1)
        #expect(try harness.count("SELECT COUNT(*) FROM inbox") == 1)
        // The order itself is still known by its natural key: a very late redelivery attributes nothing twice.
        _ = try harness.process(orderPlacedMessage(order: "o1", messageID: "old"))
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 2)
        #expect(try harness.outbox().filter { $0.routingKey == "order.attributed" }.count == 2)
    }
}

@Suite struct HandlerRollbackTests {
    @Test(arguments: TestEngine.all) func aHandlerThatFailsHalfWayLeavesNoChangeButTheBatchGoesOn(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine, extraHandlers: { registry in
            registry.event("order.placed", OrderPlaced.self) { db, order, _ in
                try db.execute("INSERT INTO client_order (store_id, order_id, status) VALUES (?, ?, 'new')",
                               [order.storeID, order.orderID])
                if order.orderID == "bad" {
                    throw ErrorBody.validationFailed([ErrorDetail(field: "order_id", problem: "invalid_value")])
                }
            }
        })
        #expect(try harness.process(orderPlacedMessage(order: "bad")) == .deadLettered(.invalidValue))
        guard case .handled = try harness.process(orderPlacedMessage(order: "good")) else { Issue.record("not handled"); return }
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 1, "the failed handler's insert was rolled back")
    }

    /// The batch runs under one savepoint; a handler that throws sends it back to run message by
    /// message, so the failure is undone alone and the others are handled once.
    @Test(arguments: TestEngine.all) func aFailingHandlerInABatchIsUndoneAloneAndTheOthersCountOnce(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine, extraHandlers: { registry in
            registry.event("order.placed", OrderPlaced.self) { db, order, context in
                try db.execute("INSERT INTO client_order (store_id, order_id, status) VALUES (?, ?, 'new')",
                               [order.storeID, order.orderID])
                try context.publish(event: order, type: "order.seen")
                if order.orderID == "bad" {
                    throw ErrorBody.validationFailed([ErrorDetail(field: "order_id", problem: "invalid_value")])
                }
            }
        })
        let outcomes = try harness.process(batch: [
            orderPlacedMessage(order: "o1", messageID: "m1"),
            orderPlacedMessage(order: "bad", messageID: "m2"),
            orderPlacedMessage(order: "o3", messageID: "m3"),
            orderPlacedMessage(order: "o1", messageID: "m1"),  // redelivered within the same batch
        ])
        #expect(outcomes.count == 4 && outcomes[1] == .deadLettered(.invalidValue) && outcomes[3] == .duplicate)
        guard case .handled = outcomes[0], case .handled = outcomes[2] else { Issue.record("\(outcomes)"); return }
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 2, "only the failed handler's insert was undone")
        #expect(try harness.outbox().filter { $0.routingKey == "order.seen" }.count == 2)
        #expect(try harness.count("SELECT COUNT(*) FROM inbox") == 3)
    }

    /// A write sent ahead without waiting (PostgreSQL's pipeline) that fails does so after its
    /// handler returned: the batch is run again message by message, and the failure lands on the
    /// message whose handler wrote it, not on the next one.
    @Test(arguments: TestEngine.all) func aFailedWriteSentAheadIsCountedToItsOwnMessage(engine: TestEngine) throws {
        var harness = try ProcessorHarness(engine: engine, extraHandlers: { registry in
            registry.event("order.placed", OrderPlaced.self) { db, order, context in
                // status is NOT NULL: the "bad" order's insert fails, on PostgreSQL only when flushed.
                try db.enqueue("INSERT INTO client_order (store_id, order_id, status) VALUES (?, ?, ?)",
                               [order.storeID, order.orderID, order.orderID == "bad" ? nil : "new"])
                try context.publish(event: order, type: "order.seen")
            }
        })
        let outcomes = try harness.process(batch: [
            orderPlacedMessage(order: "o1", messageID: "m1"),
            orderPlacedMessage(order: "bad", messageID: "m2"),
            orderPlacedMessage(order: "o3", messageID: "m3"),
        ])
        #expect(outcomes.count == 3 && outcomes[1] == .retried(step: 1), "\(outcomes)")
        guard case .handled = outcomes[0], case .handled = outcomes[2] else { Issue.record("\(outcomes)"); return }
        #expect(try harness.count("SELECT COUNT(*) FROM client_order") == 2)
        #expect(try harness.outbox().filter { $0.routingKey == "order.seen" }.count == 2)
        #expect(try harness.count("SELECT COUNT(*) FROM inbox") == 2, "the failed one is not marked handled")
    }
}

@Suite struct RetryCountOwnershipTests {
    /// A retry count in a message from anyone but the service itself is no count at all.
    @Test(arguments: [Int64(-5), 2, 999_999])
    func aSendersRetryCountIsIgnored(forged: Int64) throws {
        var harness = try ProcessorHarness(extraHandlers: { registry in
            registry.event("order.placed", OrderPlaced.self) { _, _, _ in throw TransientFailure("blacklist API down") }
        })
        var message = orderPlacedMessage(order: "o1", messageID: "m1")
        message.headers[DeadLetterHeader.retryCount] = .int(forged)
        #expect(try harness.process(message) == .retried(step: 1))
        #expect(try harness.outbox().map(\.routingKey) == ["client-service.retry.1"])
    }
}
