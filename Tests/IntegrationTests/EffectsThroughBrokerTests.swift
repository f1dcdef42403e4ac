import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing
import WorkerKit

extension BrokerSuite {
    /// External calls run on the effect runner's thread: the consumer goes on while one waits.
    @Suite struct EffectsThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        @Test func aSlowProviderHoldsNoOtherMessage() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let provider = try StubHTTPServer { _ in .delay(.seconds(2), then: .json(200, #"{"status": "no_trust"}"#)) }
            defer { provider.stop() }
            try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { worker in
                let client = try RequestClient(url: url, appID: "test")
                _ = try client.result(of: "reliability.settings.update", body: Self.body(ReliabilitySettingsUpdate(
                    storeID: "s1", activate: true, partnerCode: "P", signature: "S", baseURL: provider.baseURL, timeoutMs: 5000)),
                    as: ReliabilitySettingsView.self)

                let started = ContinuousClock.now
                // The operator's check: one request, answered when the provider's answer is handled.
                let check = Task.detached {
                    try RequestClient(url: url, appID: "operator").result(
                        of: "reliability.check", body: Self.body(ReliabilityCheck(storeID: "s1", phone: "+79123456789")),
                        as: ReliabilityCheckResult.self)
                }
                #expect(eventually(timeout: .seconds(1)) { provider.requestCount == 1 }, "the call went out")

                // Meanwhile: events and a query are handled while the provider still thinks.
                let publisher = try ConfirmedPublisher(url: url)
                try publisher.publish((0..<50).map { i in
                    AMQPMessage(body: Self.body(OrderAttributed(
                        storeID: "s1", orderID: "o\(i)", clientID: "c\(i % 5)", placedAt: Date(timeIntervalSince1970: 1_714_600_000),
                        total: Money(amount: 100_00, currency: "RUB"), paymentMethod: .card, matchedBy: .phone)),
                                messageID: "order-\(i)", type: "order.attributed", appID: "test")
                })
                #expect(try eventually(timeout: .seconds(1.5)) {
                    try worker.count("SELECT COUNT(*) FROM inbox WHERE type = 'order.attributed'") == 50
                })
                let rating = try client.result(of: "reliability.get", body: Self.body(ReliabilityGet(storeID: "s1", clientID: "c1")),
                                               as: ReliabilityRating.self)
                #expect(rating.stats.orders == 10)
                let meanwhile = ContinuousClock.now - started
                #expect(meanwhile < .seconds(1.8), "all that before the provider answered: \(meanwhile)")

                let result = try await check.value
                let waited = ContinuousClock.now - started
                #expect(result.status == .noTrust && !result.cached)
                #expect(waited >= .seconds(2) && waited < .seconds(5), "\(waited)")
                #expect(provider.requestCount == 1)
            }
        }
    }
}
