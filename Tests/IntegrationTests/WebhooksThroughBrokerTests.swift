import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Testing
import WorkerKit

extension BrokerSuite {
    /// notification-service's webhooks through the broker, logged in as its own broker user:
    /// endpoints registered by request, events published on `crm.events`, POSTs checked by a real
    /// receiver on 127.0.0.1 (scripts/webhook_receiver.py).
    @Suite struct WebhooksThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        static func statusChanged(_ store: String, _ order: String) -> AMQPMessage {
            let event = OrderStatusChanged(storeID: store, orderID: order, status: .shipped, changedAt: Date(timeIntervalSince1970: 1_796_000_000))
            return AMQPMessage(body: body(event), messageID: "evt-\(store)-\(order)", type: "order.status_changed", appID: "test")
        }

        static func add(_ client: RequestClient, _ receiver: WebhookReceiver, _ endpoint: String, store: String) throws -> NotificationWebhookAdded {
            let added = try client.result(of: "notification.webhook.add", body: body(NotificationWebhookAdd(
                storeID: store, url: receiver.url(endpoint), eventTypes: ["order.status_changed"])), as: NotificationWebhookAdded.self)
            try receiver.setSecret(added.secret, for: endpoint)
            return added
        }

        @Test func publishedEventsArriveSignedAndAReceiverDownIsTriedAgain() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let receiver = try WebhookReceiver()
            defer { receiver.stop() }
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development)
            try await RunningWorker.with(definition, url: url, as: "notification-service") { _ in
                let client = try RequestClient(url: url, appID: "test")
                let added = try Self.add(client, receiver, "erp", store: "s1")
                try receiver.setMode("fail 503 1", for: "erp")  // down for the first call
                try ConfirmedPublisher(url: url).publish([Self.statusChanged("s1", "o1"), Self.statusChanged("s2", "o1")])

                let received = try receiver.waitFor(2)
                #expect(received.map(\.status) == [503, 200], "\(received.map(\.reason))")
                #expect(received.last?.header("X-CRM-Event-ID") == "evt-s1-o1")
                var list: NotificationWebhookListResult?
                #expect(try eventually(timeout: .seconds(10)) {
                    list = try client.result(of: "notification.webhook.list", body: Self.body(NotificationWebhookList(storeID: "s1")),
                                             as: NotificationWebhookListResult.self)
                    return list?.webhooks.first?.lastDelivery?.state == .delivered
                })
                #expect(list?.webhooks.map(\.webhookID) == [added.webhook.webhookID])
                #expect(list?.webhooks.first?.lastDelivery?.attempts == 2)
                Thread.sleep(forTimeInterval: 0.5)
                #expect(try receiver.received().count == 2, "s2's event has no endpoint: nothing more was posted")
            }
        }

        @Test func aSlowReceiverDoesNotHoldUpAnotherStoresDeliveries() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let receiver = try WebhookReceiver()
            defer { receiver.stop() }
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development)
            try await RunningWorker.with(definition, url: url, as: "notification-service") { _ in
                let client = try RequestClient(url: url, appID: "test")
                _ = try Self.add(client, receiver, "slow", store: "s2")
                _ = try Self.add(client, receiver, "quick", store: "s1")
                try receiver.setMode("sleep 2", for: "slow")
                try ConfirmedPublisher(url: url).publish((1...4).map { Self.statusChanged("s2", "o\($0)") })
                Thread.sleep(forTimeInterval: 0.3)  // the slow calls are under way
                let published = ContinuousClock.now
                try ConfirmedPublisher(url: url).publish([Self.statusChanged("s1", "o1")])
                #expect(try eventually(timeout: .seconds(10)) { try receiver.received().contains { $0.endpoint == "quick" } })
                let waited = ContinuousClock.now - published
                #expect(waited < .milliseconds(1_500), "s1's event waited \(waited) behind s2's slow receiver")
                #expect(try receiver.waitFor(5, timeout: .seconds(10)).filter { $0.endpoint == "slow" }.allSatisfy { $0.status == 200 })
            }
        }
    }
}
