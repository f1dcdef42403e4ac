import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing
import WorkerKit

extension BrokerSuite {
    /// A merge and its undo through the broker: client-service does them and reliability-service
    /// follows from the events, both services running.
    @Suite struct ClientMergeThroughBrokerTests {
        typealias Helpers = ClientCommandsThroughBrokerTests

        @Test func mergeAndUnmergeReachTheOtherServices() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { reliability in
                    let client = try RequestClient(url: url, appID: "operator-7")
                    let anna = try Helpers.create(client) { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.email = "a@example.ru" }
                    let dup = try Helpers.create(client) { $0.firstName = "Аня"; $0.lastName = "Иванова"; $0.phone = "+79120000002" }
                    try ConfirmedPublisher(url: url).publish([
                        orderPlacedMessage(order: "m-1", phone: "+79120000001"), orderPlacedMessage(order: "m-2", phone: "+79120000002"),
                    ])
                    #expect(try eventually(timeout: .seconds(10)) {
                        try reliability.count("SELECT COUNT(*) FROM rel_order WHERE client_id IS NOT NULL") == 2
                    })

                    let survivor = try client.result(of: "client.merge", body: Helpers.body(ClientMerge(
                        storeID: "s1", survivorID: anna.clientID, mergedIDs: [dup.clientID])), as: ClientCard.self)
                    #expect(survivor.fields.lastName == "Иванова" && survivor.fields.extraPhones == ["+79120000002"])
                    let merged = { () throws -> Int? in
                        try? client.result(of: "reliability.get", body: Helpers.body(ReliabilityGet(storeID: "s1", clientID: anna.clientID)),
                                           as: ReliabilityRating.self).stats.orders
                    }
                    #expect(try eventually(timeout: .seconds(10)) { try merged() == 2 }, "reliability-service followed client.merged")

                    let restored = try client.result(of: "client.unmerge", body: Helpers.body(ClientUnmerge(storeID: "s1", mergedID: dup.clientID)),
                                                     as: ClientCard.self)
                    #expect(restored.fields == dup.fields && restored.mergedInto == nil)
                    #expect(try eventually(timeout: .seconds(10)) { try merged() == 1 }, "and client.unmerged")
                    let card = try client.result(of: "client.get", body: Helpers.body(ClientRef(storeID: "s1", clientID: anna.clientID)), as: ClientCard.self)
                    #expect(card.fields.lastName == nil && card.orders?.map(\.orderID) == ["m-1"])
                }
            }
        }
    }
}
