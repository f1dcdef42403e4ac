import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Testing
import WorkerKit

extension BrokerSuite {
    /// notification-service's webhooks through the broker, every party logged in as its own broker
    /// user: the service, an operator registering endpoints, shops publishing their orders' events;
    /// the POSTs checked by a real receiver on 127.0.0.1 (scripts/webhook_receiver.py).
    @Suite struct WebhooksThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        static func statusChanged(_ store: String, _ order: String) -> AMQPMessage {
            let event = OrderStatusChanged(storeID: store, orderID: order, status: .shipped, changedAt: Date(timeIntervalSince1970: 1_796_000_000))
            return AMQPMessage(body: body(event), messageID: "evt-\(store)-\(order)", type: "order.status_changed", appID: "test")
        }

        /// Each shop publishes its own store's events, as the broker allows it.
        static func publish(_ url: AMQPURL, _ messages: [AMQPMessage]) throws {
            for message in messages {
                let store = try #require(try JSONValue.parse(message.body)["store_id"]?.stringValue)
                try IdentityThroughBrokerTests.publishConfirmed(try TestBroker.url(url, as: "shop-\(store)"),
                                                                 exchange: Exchanges.events, message)
            }
        }

        static func operatorClient(_ url: AMQPURL) throws -> RequestClient {
            try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "test")
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
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: try TemplateCatalog.load())
            try await RunningWorker.with(definition, url: url, as: "notification-service") { _ in
                let tap = try EventTap(url: url, keys: ["notification.delivered", "notification.failed"])
                let client = try Self.operatorClient(url)
                let added = try Self.add(client, receiver, "erp", store: "s1")
                try receiver.setMode("fail 503 1", for: "erp")  // down for the first call
                try Self.publish(url, [Self.statusChanged("s1", "o1"), Self.statusChanged("s2", "o1")])

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
                // Announced like any delivery: channel webhook, the endpoint and the event named.
                let outcomes = try tap.collect(1, timeout: .seconds(10))
                #expect(outcomes.map(\.type) == ["notification.delivered"])
                let outcome = try JSONCoding.decoder.decode(NotificationOutcome.self, from: try #require(outcomes.first).body)
                #expect(outcome.channel == .webhook && outcome.webhookID == added.webhook.webhookID && outcome.attempts == 2)
                #expect(outcome.eventID == "evt-s1-o1" && outcome.eventType == "order.status_changed" && outcome.template == "order.status_changed")
                #expect(outcome.recipient == receiver.url("erp").split(separator: "?").first.map(String.init))
                try await Task.sleep(for: .milliseconds(500))
                #expect(try receiver.received().count == 2, "s2's event has no endpoint: nothing more was posted")
            }
        }

        @Test func aSlowReceiverDoesNotHoldUpAnotherStoresDeliveries() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let receiver = try WebhookReceiver()
            defer { receiver.stop() }
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: try TemplateCatalog.load())
            try await RunningWorker.with(definition, url: url, as: "notification-service") { _ in
                let client = try Self.operatorClient(url)
                _ = try Self.add(client, receiver, "slow", store: "s2")
                _ = try Self.add(client, receiver, "quick", store: "s1")
                try receiver.setMode("sleep 2", for: "slow")
                try Self.publish(url, (1...4).map { Self.statusChanged("s2", "o\($0)") })
                try await Task.sleep(for: .milliseconds(300))  // the slow calls are under way
                let published = ContinuousClock.now
                try Self.publish(url, [Self.statusChanged("s1", "o1")])
                #expect(try eventually(timeout: .seconds(10)) { try receiver.received().contains { $0.endpoint == "quick" } })
                let waited = ContinuousClock.now - published
                #expect(waited < .milliseconds(1_500), "s1's event waited \(waited) behind s2's slow receiver")
                #expect(try receiver.waitFor(5, timeout: .seconds(10)).filter { $0.endpoint == "slow" }.allSatisfy { $0.status == 200 })
            }
        }

        @Test func crmctlAddsListsAndRemovesWebhooks() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let definition = NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: try TemplateCatalog.load())
            try await RunningWorker.with(definition, url: url) { _ in
                let added = try OperatorToolTests.crmctl(url, "notify", "webhooks", "add", "--store", "s1", "--url",
                                                         "http://127.0.0.1:9/hooks/erp", "--event", "order.placed", "--event", "order.status_changed")
                #expect(added.status == 0, "\(added.output)")
                #expect(added.output.contains("whsec_"), "the secret, shown once")
                let id = try #require(added.output.range(of: #"wh-[0-9a-f]{16}"#, options: .regularExpression).map { String(added.output[$0]) })
                let listed = try OperatorToolTests.crmctl(url, "notify", "webhooks", "list", "--store", "s1")
                #expect(listed.status == 0 && listed.output.contains(id) && listed.output.contains("order.status_changed"))
                #expect(!listed.output.contains("whsec_"), "never shown again")
                let removed = try OperatorToolTests.crmctl(url, "notify", "webhooks", "remove", "--store", "s1", "--webhook", id)
                #expect(removed.status == 0, "\(removed.output)")
                #expect(!(try OperatorToolTests.crmctl(url, "notify", "webhooks", "list", "--store", "s1")).output.contains(id))
                let missing = try OperatorToolTests.crmctl(url, "notify", "webhooks", "add", "--store", "s1", "--url", "http://127.0.0.1:9/x")
                #expect(missing.status != 0 && missing.output.contains("--event"))
            }
        }
    }
}
