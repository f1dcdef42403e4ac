import CRMTestSupport
import Contracts
import Foundation
import Testing
@testable import WorkerKit

/// Two handlers of one event type (a service's own and, say, its webhooks' fan-out) both run, in
/// the order registered and in the one transaction: neither replaces the other.
@Suite struct SeveralEventHandlersTests {
    @Test func bothHandlersOfAnEventRunInOneTransaction() throws {
        var h = try ProcessorHarness(extraHandlers: { registry in
            registry.alsoOnEvent("order.placed", JSONValue.self) { db, event, context in
                // Sees the row the first handler wrote in the same transaction.
                let before = try db.value("SELECT COUNT(*) FROM client_order", as: Int.self) ?? 0
                guard before == 1 else { throw TransientFailure("the first handler has not run") }
                try context.publish(event: event, type: "order.seen")
            }
        })
        let outcome = try h.process(orderPlacedMessage(store: "s1", order: "1"))
        if case .handled = outcome {} else { Issue.record("not handled: \(outcome)") }
        #expect(try h.count("SELECT COUNT(*) FROM client_order") == 1)
        #expect(try h.outbox().contains { $0.routingKey == "order.seen" })
    }
}
