import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing
import WorkerKit

extension BrokerSuite {
    /// Orders from a shop reach reliability-service through client-service's attribution.
    @Suite struct ReliabilityFlowTests {
        @Test func theRatingBlockFollowsTheShopsOrders() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { reliability in
                    let publisher = try ConfirmedPublisher(url: url)
                    // One buyer, written three ways: the phone finds the same client each time.
                    let phones = ["+7 912 000-00-42", "8 (912) 000-00-42", "9120000042"]
                    try publisher.publish(phones.enumerated().map { i, phone in
                        orderPlacedMessage(store: "s1", order: "r\(i)", phone: phone)
                    })
                    let outcomes: [OrderStatus] = [.completed, .refused, .refused]
                    try publisher.publish(outcomes.enumerated().map { i, status in
                        let change = OrderStatusChanged(storeID: "s1", orderID: "r\(i)", status: status,
                                                        changedAt: Date(timeIntervalSince1970: 1_714_600_000))
                        return AMQPMessage(body: try! JSONCoding.encoder.encode(change), messageID: UUID().uuidString,
                                           type: "order.status_changed", appID: "shop")
                    })
                    #expect(try eventually(timeout: .seconds(20)) {
                        try reliability.count("SELECT COUNT(*) FROM rel_order WHERE client_id IS NOT NULL AND status != 'new'") == 3
                    })
                    let client = try RequestClient(url: url, appID: "test")
                    let query = try JSONCoding.encoder.encode(ReliabilityGet(storeID: "s1", orderID: "r2"))
                    let rating = try client.result(of: "reliability.get", body: query, as: ReliabilityRating.self)
                    #expect(rating.stats.orders == 3)
                    #expect(rating.stats.completed == 1 && rating.stats.refused == 2)
                    #expect(rating.trust.level == .noTrust)
                    #expect(rating.trust.reasons.contains("2 of 3 cash-on-delivery orders refused or returned"))
                }
            }
        }

        @Test func operatorsCheckBuyersThroughCrmctl() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let provider = try StubHTTPServer { request in
                request.path == "/v11/ping" ? .status(200) : .json(200, #"{"status": "no_trust"}"#)
            }
            defer { provider.stop() }
            try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { _ in
                let crmctl: (AMQPURL, [String]) throws -> (status: Int32, output: String) = { try OperatorToolTests.crmctl($0, $1) }
                let missing = try crmctl(url, ["reliability", "settings", "--store", "s1", "--activate", "true"])
                #expect(missing.status == 1 && missing.output.contains("partner_code"), "\(missing.output)")
                // The signature comes on standard input, never as an argument (visible in `ps`).
                let saved = try OperatorToolTests.crmctl(url, ["reliability", "settings", "--store", "s1", "--activate", "true", "--partner-code", "P-7",
                                             "--signature-stdin", "--base-url", provider.baseURL, "--timeout-ms", "500"],
                                       input: "s3cret\n")
                #expect(saved.status == 0 && saved.output.contains("\"signature_set\" : true") && !saved.output.contains("s3cret"),
                        "\(saved.output)")
                let connection = try crmctl(url, ["reliability", "test-connection", "--store", "s1"])
                #expect(connection.output.contains("\"connected\""), "\(connection.output)")
                let checked = try crmctl(url, ["reliability", "check", "--store", "s1", "--phone", "8 912 345-67-89"])
                #expect(checked.status == 0 && checked.output.contains("no_trust"), "\(checked.output)")
                #expect(provider.requests.last.map { String(decoding: $0.body, as: UTF8.self) }?.contains("+79123456789") == true)

                provider.stop()
                let down = try crmctl(url, ["reliability", "check", "--store", "s1", "--phone", "8 912 345-67-89", "--force"])
                #expect(down.status == 1 && down.output.contains("unavailable"), "\(down.output)")
            }
        }
    }
}
