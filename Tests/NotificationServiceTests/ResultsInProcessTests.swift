import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// The effect runner as the worker runs it: the outcomes of the calls of one turn are written in
/// one transaction, and each `<kind>.completed` is handled in that transaction by the service's
/// own processor (no trip through the broker). Real SMS gateway on 127.0.0.1.
@Suite struct ResultsInProcessTests {
    @Test(arguments: TestEngine.all) func resultsAreHandledWhereTheyAreRecordedAndNothingIsSentTwice(engine: TestEngine) throws {
        let gateway = try StubHTTPServer { _ in .json(200, #"{"id": "gw-1"}"#) }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine, resultsInProcess: true)
        try SMSDeliveryTests.configure(&h, gateway)
        var ids: [String] = []
        for n in 1...5 {
            let send = SMSDeliveryTests.shipped("+7912345670\(n)")
            ids.append(try h.result("notification.send", send, as: NotificationSendResult.self).deliveryID)
        }
        #expect(gateway.requestCount == 0, "nothing is sent inside the transaction")
        #expect(try h.effects.performDue() == 5)
        #expect(gateway.requestCount == 5)
        // Handled in the runner's transaction: announced, logged, and no result left for the broker.
        let delivered = try h.events("notification.delivered", as: NotificationOutcome.self).map(\.deliveryID)
        #expect(delivered.count == 5 && Set(delivered) == Set(ids))
        #expect(try h.outbox(routingKey: NotificationHarness.service).isEmpty)
        #expect(try h.count("SELECT COUNT(*) FROM notification_delivery WHERE status = 'delivered'") == 5)
        #expect(try h.count("SELECT COUNT(*) FROM effect WHERE state = 'done'") == 5)
        // Once each without the inbox: the effect row left `pending` in the same transaction.
        #expect(try h.count("SELECT COUNT(*) FROM inbox WHERE message_id LIKE 'effect-%-completed'") == 0)
        // Nothing is due any more: nothing goes out twice.
        #expect(try h.effects.performDue() == 0)
        #expect(gateway.requestCount == 5)
    }

    @Test(arguments: TestEngine.all) func aFaultIsRescheduledInTheBatchAndTheRestAreHandled(engine: TestEngine) throws {
        // The gateway refuses one number for good (HTTP 400) and takes the others.
        let gateway = try StubHTTPServer { request in
            String(decoding: request.body, as: UTF8.self).contains("+79123456709") ? .status(400) : .json(200, "{}")
        }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine, resultsInProcess: true)
        try SMSDeliveryTests.configure(&h, gateway)
        for number in ["+79123456701", "+79123456709", "+79123456702"] {
            _ = try h.result("notification.send", SMSDeliveryTests.shipped(number), as: NotificationSendResult.self)
        }
        try h.effects.performDue()
        #expect(try h.events("notification.delivered", as: NotificationOutcome.self).count == 2)
        let failed = try h.events("notification.failed", as: NotificationOutcome.self)
        #expect(failed.map(\.recipient) == ["+79123456709"])
        #expect(try h.outbox(routingKey: NotificationHarness.service).isEmpty)
    }
}
