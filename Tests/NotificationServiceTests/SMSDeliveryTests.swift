import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Synchronization
import Testing
@testable import WorkerKit

/// `notification.send` over SMS, end to end without a broker: a real HTTP server on 127.0.0.1
/// stands in for the gateway; the effect runner calls it after the commit.
@Suite struct SMSDeliveryTests {
    static func configure(_ h: inout NotificationHarness, _ gateway: StubHTTPServer, store: String = "s1",
                          maxAttempts: Int = 3, hourlyLimit: Int? = nil) throws {
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(
            storeID: store, smsURL: gateway.baseURL + "/send", smsToken: "tok-123", smsSender: "SHOP", maxAttempts: maxAttempts,
            recipientHourlyLimit: hourlyLimit), as: NotificationSettingsView.self)
    }

    static func shipped(_ recipient: String = "8 912 345-67-89", store: String = "s1") -> NotificationSend {
        NotificationSend(storeID: store, channel: .sms, recipient: recipient, template: "order_shipped",
                         params: ["first_name": .string("Анна"), "order_id": .string("1001")])
    }

    @Test(arguments: TestEngine.all) func anSMSIsSentAfterTheCommitAndLogged(engine: TestEngine) throws {
        let gateway = try StubHTTPServer { _ in .json(200, #"{"id": "gw-1"}"#) }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine)
        try Self.configure(&h, gateway)
        let answer = try h.result("notification.send", Self.shipped(), as: NotificationSendResult.self)
        #expect(answer.status == .pending)
        #expect(gateway.requestCount == 0, "nothing is sent inside the transaction")
        try h.settle()
        let request = try #require(gateway.requests.first)
        #expect(gateway.requestCount == 1 && request.path == "/send")
        #expect(request.header("Authorization") == "Bearer tok-123")
        let body = try JSONValue.parse(request.body)
        #expect(body["to"] == .string("+79123456789") && body["from"] == .string("SHOP"))
        #expect(body["text"] == .string("Анна, ваш заказ 1001 отправлен.") && body["reference"] == .string(answer.deliveryID))
        let delivered = try h.events("notification.delivered", as: NotificationOutcome.self)
        #expect(delivered.map(\.deliveryID) == [answer.deliveryID] && delivered.first?.recipient == "+79123456789")
        let log = try h.result("notification.deliveries", NotificationDeliveriesQuery(storeID: "s1", recipient: "+7 912 345 67 89"),
                               as: NotificationDeliveriesResult.self)
        #expect(log.deliveries.map(\.status) == [.delivered])
        #expect(log.deliveries.first?.attempts.map(\.result) == ["delivered"] && log.deliveries.first?.attempts.first?.calls == 1)
    }

    @Test(arguments: TestEngine.all) func faultsAreRetriedAndARefusalStopsAtOnce(engine: TestEngine) throws {
        let calls = Counter()
        let gateway = try StubHTTPServer { _ in calls.next() < 2 ? .status(503) : .json(200, "{}") }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine)
        try Self.configure(&h, gateway)
        let retried = try h.result("notification.send", Self.shipped(), as: NotificationSendResult.self)
        try h.settle()
        #expect(gateway.requestCount == 3, "two 503s, then sent")
        let log = try h.result("notification.deliveries", NotificationDeliveriesQuery(storeID: "s1", deliveryID: retried.deliveryID),
                               as: NotificationDeliveriesResult.self)
        #expect(log.deliveries.first?.status == .delivered && log.deliveries.first?.attempts.first?.calls == 3)

        gateway.setHandler { _ in .status(400, body: "bad number") }
        let refused = try h.result("notification.send", Self.shipped("+79123456780"), as: NotificationSendResult.self)
        try h.settle()
        #expect(gateway.requestCount == 4, "a 4xx is not tried again")
        let failed = try h.events("notification.failed", as: NotificationOutcome.self)
        #expect(failed.map(\.deliveryID) == [refused.deliveryID])
        #expect(failed.first?.reason == "the SMS gateway refused the message (HTTP 400)")

        gateway.setHandler { _ in .status(429) }
        let limited = try h.result("notification.send", Self.shipped("+79123456781"), as: NotificationSendResult.self)
        try h.settle()
        #expect(gateway.requestCount == 7, "429 is a fault: tried max_attempts (3) times")
        let last = try h.events("notification.failed", as: NotificationOutcome.self).last
        #expect(last?.deliveryID == limited.deliveryID && last?.reason == "the SMS gateway answered HTTP 429" && last?.attempts == 3)
    }

    @Test(arguments: TestEngine.all) func theHourlyLimitPerRecipientStopsALoop(engine: TestEngine) throws {
        let gateway = try StubHTTPServer { _ in .json(200, "{}") }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine)
        try Self.configure(&h, gateway, hourlyLimit: 2)
        var statuses: [NotificationSendResult.Status] = []
        for _ in 0..<4 { statuses.append(try h.result("notification.send", Self.shipped(), as: NotificationSendResult.self).status) }
        #expect(statuses == [.pending, .pending, .failed, .failed])
        let other = try h.result("notification.send", Self.shipped("+79123456780"), as: NotificationSendResult.self)
        #expect(other.status == .pending, "another recipient is not held back")
        try h.settle()
        #expect(gateway.requestCount == 3)
        #expect(try h.events("notification.failed", as: NotificationOutcome.self).map(\.reason) == ["rate_limited", "rate_limited"])
    }

    @Test(arguments: TestEngine.all) func aSendHandledTwiceIsOneDelivery(engine: TestEngine) throws {
        let gateway = try StubHTTPServer { _ in .json(200, "{}") }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine)
        try Self.configure(&h, gateway)
        // The same message id from two senders: the inbox keeps both, the delivery log one.
        try h.send("notification.send", Self.shipped(), messageID: "send-1", as: DevelopmentUsers.operatorName)
        try h.send("notification.send", Self.shipped(), messageID: "send-1", as: DevelopmentUsers.adminName)
        try h.settle()
        #expect(try h.count("SELECT COUNT(*) FROM notification_delivery") == 1)
        #expect(gateway.requestCount == 1)
    }

    @Test(arguments: TestEngine.all) func aBatchRolledBackAndRunAgainSendsOnce(engine: TestEngine) throws {
        let gateway = try StubHTTPServer { _ in .json(200, "{}") }
        defer { gateway.stop() }
        var h = try NotificationHarness(engine: engine)
        try Self.configure(&h, gateway)
        func delivery(_ send: NotificationSend, id: String) throws -> Delivery {
            let message = AMQPMessage(body: try JSONCoding.encoder.encode(send), messageID: id, type: "notification.send",
                                      replyTo: "replies", userID: DevelopmentUsers.operatorName)
            return Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.commands,
                            routingKey: "notification.send")
        }
        let good = try delivery(Self.shipped(), id: "send-good")
        var bad = Self.shipped()
        bad.params = [:]
        let failing = try delivery(bad, id: "send-bad")
        // The first transaction is lost after its handlers ran: the broker would deliver the batch again.
        struct LostCommit: Error {}
        #expect(throws: LostCommit.self) {
            try h.storage.write { db in
                _ = try h.processor.process([good, failing], in: db)
                throw LostCommit()
            }
        }
        _ = try h.storage.write { db in try h.processor.process([good, failing], in: db) }
        #expect(gateway.requestCount == 0)
        #expect(try h.count("SELECT COUNT(*) FROM effect") == 1 && h.count("SELECT COUNT(*) FROM notification_delivery") == 1)
        try h.settle()
        #expect(gateway.requestCount == 1, "one SMS for a batch run three times")
    }

    @Test(arguments: TestEngine.all) func badSendsAreAnsweredNamingTheField(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        func error(_ send: NotificationSend) throws -> ErrorBody? { try h.ask("notification.send", send).error }
        var missing = Self.shipped()
        missing.params = ["order_id": .string("1001")]
        #expect(try error(missing)?.details.map(\.field) == ["params.first_name"])
        var noTemplate = Self.shipped()
        noTemplate.template = "no_such_template"
        #expect(try error(noTemplate)?.details.map(\.field) == ["template"])
        #expect(try error(Self.shipped("12"))?.details.map(\.field) == ["recipient"])
        var attached = Self.shipped()
        attached.attachments = [EmailAttachment(filename: "a.pdf", contentType: "application/pdf", contentBase64: "JVBERg==")]
        #expect(try error(attached)?.details.map(\.field) == ["attachments"])
        let otherStore = try h.ask("notification.send", Self.shipped(store: "s9"))
        #expect(otherStore.error?.code == .unauthorized, "the operator has no store s9")
        #expect(try h.count("SELECT COUNT(*) FROM notification_delivery") == 0)
        #expect(try h.count("SELECT COUNT(*) FROM effect") == 0)
    }

    @Test(arguments: TestEngine.all) func withoutAGatewayTheDeliveryFailsWithTheReason(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        let answer = try h.result("notification.send", Self.shipped(), as: NotificationSendResult.self)
        try h.settle()
        let failed = try h.events("notification.failed", as: NotificationOutcome.self)
        #expect(failed.map(\.deliveryID) == [answer.deliveryID])
        #expect(failed.first?.reason == "the SMS gateway is not configured for the store")
    }
}

/// A thread-safe counter for stub handlers.
final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { v in
            let n = v
            v += 1
            return n
        }
    }
}
