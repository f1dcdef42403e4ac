import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing

extension BrokerSuite {
    /// Orders from a shop reach reliability-service through client-service's attribution.
    @Suite struct ReliabilityFlowTests {
        @Test func theRatingBlockFollowsTheShopsOrders() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                try await RunningWorker.with(ReliabilityServiceDefinition(), url: url) { reliability in
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
                    let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "reliability.get", body: query).body)
                    let rating = try JSONCoding.decoder.decode(ReliabilityRating.self, from: JSONCoding.encoder.encode(reply.result))
                    #expect(rating.stats.orders == 3)
                    #expect(rating.stats.completed == 1 && rating.stats.refused == 2)
                    #expect(rating.trust.level == .noTrust)
                    #expect(rating.trust.reasons.contains("2 of 3 cash-on-delivery orders refused or returned"))
                }
            }
        }
    }
}
