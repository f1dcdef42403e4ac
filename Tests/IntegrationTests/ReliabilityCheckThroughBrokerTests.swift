import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing
import WorkerKit

extension BrokerSuite {
    /// reliability-service through the broker, with a small real HTTP server on 127.0.0.1 standing
    /// in for the blacklist provider.
    @Suite struct ReliabilityCheckThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        static func error(_ client: RequestClient, _ type: String, _ value: some Encodable) throws -> ErrorBody? {
            try JSONCoding.decoder.decode(Reply.self, from: client.request(type: type, body: body(value)).body).error
        }

        @Test func answersFaultsAndTheCircuitBreaker() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let provider = try StubHTTPServer()
            defer { provider.stop() }
            let definition = ReliabilityServiceDefinition(secrets: .random(), outbound: .development)
            try await RunningWorker.with(definition, url: url,
                                         effects: EffectSettings(breakerThreshold: 3, breakerCoolDown: .seconds(1))) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let missing = try Self.error(client, "reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", activate: true))
                #expect(missing?.code == .validationFailed && missing?.details.map(\.field) == ["partner_code", "signature", "base_url"])
                _ = try client.result(of: "reliability.settings.update", body: Self.body(ReliabilitySettingsUpdate(
                    storeID: "s1", activate: true, partnerCode: "P", signature: "S", baseURL: provider.baseURL, timeoutMs: 300)),
                    as: ReliabilitySettingsView.self)

                provider.setHandler { _ in .status(200) }
                let up = try client.result(of: "reliability.connection.test", body: Self.body(ReliabilityConnectionTest(storeID: "s1")),
                                           as: ReliabilityConnectionResult.self)
                #expect(up.status == .connected)
                provider.setHandler { _ in .status(401) }
                let down = try client.result(of: "reliability.connection.test", body: Self.body(ReliabilityConnectionTest(storeID: "s1")),
                                             as: ReliabilityConnectionResult.self)
                #expect(down.status == .noConnection && down.reason?.contains("401") == true)

                let check = Self.body(ReliabilityCheck(storeID: "s1", phone: "+7 912 345 67 89", force: true))
                for status in ExternalStatus.allCases {
                    provider.setHandler { _ in .json(200, #"{"status": "\#(status.rawValue)"}"#) }
                    #expect(try client.result(of: "reliability.check", body: check, as: ReliabilityCheckResult.self).status == status)
                }
                let calls = provider.requestCount
                let cached = try client.result(of: "reliability.check",
                                               body: Self.body(ReliabilityCheck(storeID: "s1", phone: "89123456789")),
                                               as: ReliabilityCheckResult.self)
                #expect(cached.cached && cached.status == .invalidPhone && provider.requestCount == calls, "the stored result, no call")

                let faults: [StubResponse] = [.status(502), .delay(.seconds(1), then: .status(200)), .status(200, body: "oops")]
                for fault in faults {
                    provider.setHandler { _ in fault }
                    #expect(try Self.error(client, "reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789", force: true))?.code
                            == .unavailable)
                }
                let beforeOpen = provider.requestCount
                let open = try Self.error(client, "reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789", force: true))
                #expect(open?.message.contains("circuit open") == true && provider.requestCount == beforeOpen)
                provider.setHandler { _ in .json(200, #"{"status": "trusted"}"#) }
                try await Task.sleep(for: .milliseconds(1_100))
                #expect(try client.result(of: "reliability.check", body: check, as: ReliabilityCheckResult.self).status == .trusted)
            }
        }

        @Test func outOfOrderDuplicatedAndMergedOrders() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { worker in
                let publisher = try ConfirmedPublisher(url: url)
                func event(_ type: String, _ value: some Encodable, id: String = UUID().uuidString) -> AMQPMessage {
                    AMQPMessage(body: Self.body(value), messageID: id, type: type, appID: "test")
                }
                let placed = Date(timeIntervalSince1970: 1_714_600_000)
                func attributed(_ order: String, _ client: String) -> OrderAttributed {
                    OrderAttributed(storeID: "s1", orderID: order, clientID: client, placedAt: placed,
                                    total: Money(amount: 500_00, currency: "RUB"), paymentMethod: .cashOnDelivery, matchedBy: .phone)
                }
                func status(_ order: String, _ status: OrderStatus, _ seconds: Double) -> OrderStatusChanged {
                    OrderStatusChanged(storeID: "s1", orderID: order, status: status, changedAt: placed.addingTimeInterval(seconds))
                }
                try publisher.publish([
                    event("order.status_changed", status("o1", .completed, 200)),   // before its order
                    event("order.attributed", attributed("o1", "A"), id: "dup"),
                    event("order.attributed", attributed("o1", "A"), id: "dup"),     // redelivered
                    event("order.attributed", attributed("o1", "A")),                // the same order again
                    event("order.status_changed", status("o1", .shipped, 100)),     // late and older
                    event("order.attributed", attributed("o2", "B")),
                    event("order.status_changed", status("o2", .refused, 100)),
                ])
                #expect(try eventually(timeout: .seconds(10)) {
                    try worker.count("SELECT COUNT(*) FROM inbox WHERE type LIKE 'order.%'") == 6
                })
                let client = try RequestClient(url: url, appID: "test")
                let a = try client.result(of: "reliability.get", body: Self.body(ReliabilityGet(storeID: "s1", clientID: "A")), as: ReliabilityRating.self)
                #expect(a.stats.orders == 1 && a.stats.completed == 1)

                try publisher.publish([event("client.merged", ClientMerged(storeID: "s1", survivorID: "A", mergedIDs: ["B"], mergedAt: placed))])
                #expect(try eventually(timeout: .seconds(10)) {
                    (try? client.result(of: "reliability.get", body: Self.body(ReliabilityGet(storeID: "s1", clientID: "A")), as: ReliabilityRating.self))?
                        .stats.orders == 2
                })
                try publisher.publish([event("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "A", restoredIDs: ["B"], unmergedAt: placed))])
                #expect(try eventually(timeout: .seconds(10)) {
                    (try? client.result(of: "reliability.get", body: Self.body(ReliabilityGet(storeID: "s1", clientID: "B")), as: ReliabilityRating.self))?
                        .stats.refused == 1
                })
            }
        }
    }
}
