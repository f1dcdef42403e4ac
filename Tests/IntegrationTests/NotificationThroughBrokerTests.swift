import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Testing
import WorkerKit

extension BrokerSuite {
    /// notification-service through the broker: the copy of a client card from `client.created`,
    /// an operator's `notification.send` by client id, the SMS to a real HTTP server on 127.0.0.1
    /// standing in for the gateway (failing first), `notification.delivered`, and the log.
    @Suite struct NotificationThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        @Test func anSMSToAClientIsDeliveredThroughAFlakyGateway() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let calls = FlakyCount()
            let gateway = try StubHTTPServer { _ in calls.next() == 0 ? .status(502) : .json(200, #"{"id": "gw-7"}"#) }
            defer { gateway.stop() }
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development,
                                                           catalog: try TemplateCatalog.load())
            try await RunningWorker.with(definition, url: url) { worker in
                let tap = try EventTap(url: url, keys: ["notification.delivered", "notification.failed"])
                let client = try RequestClient(url: url, appID: "test")
                _ = try client.result(of: "notification.settings.update", body: Self.body(NotificationSettingsUpdate(
                    storeID: "s1", smsURL: gateway.baseURL + "/send", smsToken: "tok", smsSender: "SHOP", autoSends: ["welcome": false])),
                    as: NotificationSettingsView.self)
                var fields = ClientFields()
                fields.kind = .person
                fields.characteristic = "normal"
                fields.newsletter = false
                fields.firstName = "Анна"
                fields.phone = "+79123456789"
                fields.source = "web"
                let at = Date(timeIntervalSince1970: 1_714_521_600)
                let card = ClientChanged(client: ClientCard(clientID: "c1", storeID: "s1", version: 1, deleted: false, mergedInto: nil,
                                                            createdAt: at, updatedAt: at, fields: fields))
                try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(card), messageID: UUID().uuidString,
                                                                      type: "client.created", appID: "test")])
                #expect(try eventually(timeout: .seconds(10)) { try worker.count("SELECT COUNT(*) FROM notification_client") == 1 })

                let sent = try client.result(of: "notification.send", body: Self.body(NotificationSend(
                    storeID: "s1", channel: .sms, clientID: "c1", template: "order_shipped",
                    params: ["first_name": .string("Анна"), "order_id": .string("1001")])), as: NotificationSendResult.self)
                #expect(sent.status == .pending)
                let events = try tap.collect(1, timeout: .seconds(15))
                #expect(events.map(\.type) == ["notification.delivered"])
                let outcome = try JSONCoding.decoder.decode(NotificationOutcome.self, from: try #require(events.first).body)
                #expect(outcome.deliveryID == sent.deliveryID && outcome.clientID == "c1" && outcome.attempts == 2)
                #expect(gateway.requestCount == 2, "a 502, then sent")
                #expect(gateway.requests.last?.text.contains("Анна, ваш заказ 1001 отправлен.") == true)

                let log = try client.result(of: "notification.deliveries", body: Self.body(NotificationDeliveriesQuery(
                    storeID: "s1", clientID: "c1")), as: NotificationDeliveriesResult.self)
                #expect(log.deliveries.map(\.status) == [.delivered] && log.deliveries.first?.attempts.first?.calls == 2)
                let missing = try JSONCoding.decoder.decode(Reply.self, from: client.request(
                    type: "notification.send", body: Self.body(NotificationSend(
                        storeID: "s1", channel: .sms, clientID: "c1", template: "order_shipped", params: [:]))).body)
                #expect(missing.error?.code == .validationFailed
                        && missing.error?.details.map(\.field) == ["params.first_name", "params.order_id"])
            }
        }
    }
}

/// Counts a stub's calls across its threads.
final class FlakyCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
}
