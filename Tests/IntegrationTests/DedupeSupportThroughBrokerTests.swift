import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// What client-service gives dedupe-service, through the broker: the export, notes, the phone
    /// limit of a merge, and the ties order attribution records.
    @Suite struct DedupeSupportThroughBrokerTests {
        typealias Helpers = ClientCommandsThroughBrokerTests

        static func operatorClient(_ url: AMQPURL) throws -> RequestClient {
            try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "operator-console")
        }

        @Test func dedupeServiceExportsEveryCardInPages() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let operators = try Self.operatorClient(url)
                var ids: [String] = []
                for i in 1...5 { ids.append(try Helpers.create(operators) { $0.firstName = "Клиент \(i)"; $0.phone = "+7912000000\(i)" }.clientID) }
                _ = try operators.result(of: "client.delete", body: Helpers.body(ClientRef(storeID: "s1", clientID: ids[0])), as: ClientCard.self)
                _ = try operators.result(of: "client.merge", body: Helpers.body(ClientMerge(storeID: "s1", survivorID: ids[1], mergedIDs: [ids[2]])),
                                         as: ClientCard.self)

                let dedupe = try RequestClient(url: TestBroker.url(url, as: "dedupe-service"), appID: "dedupe-service")
                var cards: [ClientCard] = []
                var cursor: String?
                repeat {
                    let page = try dedupe.result(of: "client.export", body: Helpers.body(ClientExport(storeID: "s1", after: cursor, limit: 2)),
                                                 as: ClientExportResult.self)
                    #expect(page.clients.count <= 2)
                    cards += page.clients
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(Set(cards.map(\.clientID)) == Set(ids) && cards.count == 5)
                #expect(cards.first { $0.clientID == ids[0] }?.deleted == true && cards.first { $0.clientID == ids[2] }?.mergedInto == ids[1])

                let elsewhere = try Helpers.error(operators, "client.export", Helpers.body(ClientExport(storeID: "s3")))
                #expect(elsewhere?.code == .unauthorized, "an operator exports its own stores only")
                // A shop may not even send it: the broker refuses its publish on the request exchange.
                let shop = try AMQPConnection(url: TestBroker.url(url, as: "shop-s1"))
                try shop.enableConfirms()
                #expect(throws: AMQPError.self) {
                    try shop.publish(exchange: Exchanges.requests, routingKey: "client.export",
                                     message: AMQPMessage(body: Helpers.body(ClientExport(storeID: "s1")), messageID: "x-1", type: "client.export"))
                    try shop.waitForConfirms()
                }
            }
        }

        @Test func notesFollowTheMergeAndComeBackOnUnmerge() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let operators = try Self.operatorClient(url)
                let dedupe = try RequestClient(url: TestBroker.url(url, as: "dedupe-service"), appID: "dedupe-service")
                let anna = try Helpers.create(operators) { $0.firstName = "Анна"; $0.phone = "+79120000001" }
                let dup = try Helpers.create(operators) { $0.firstName = "Аня"; $0.phone = "+79120000002" }
                func note(_ client: RequestClient, _ id: String, _ text: String) throws -> ClientCard {
                    try client.result(of: "client.note.add", body: Helpers.body(ClientNoteAdd(storeID: "s1", clientID: id, text: text)), as: ClientCard.self)
                }
                func notes(_ id: String) throws -> [ClientNote] {
                    try operators.result(of: "client.get", body: Helpers.body(ClientRef(storeID: "s1", clientID: id)), as: ClientCard.self).notes ?? []
                }
                _ = try note(operators, anna.clientID, "Постоянная покупательница")
                _ = try note(operators, dup.clientID, "Заказ по телефону")
                _ = try operators.result(of: "client.merge", body: Helpers.body(ClientMerge(storeID: "s1", survivorID: anna.clientID, mergedIDs: [dup.clientID])),
                                         as: ClientCard.self)
                let added = try note(dedupe, anna.clientID, "Объединена с \(dup.clientID)")
                #expect(added.notes?.map(\.author) == [DevelopmentUsers.operatorName, DevelopmentUsers.operatorName, "dedupe-service"])
                #expect(added.notes?.map(\.clientID) == [nil, dup.clientID, nil])

                _ = try operators.result(of: "client.unmerge", body: Helpers.body(ClientUnmerge(storeID: "s1", mergedID: dup.clientID)), as: ClientCard.self)
                #expect(try notes(anna.clientID).map(\.text) == ["Постоянная покупательница", "Объединена с \(dup.clientID)"])
                #expect(try notes(dup.clientID).map(\.text) == ["Заказ по телефону"])
            }
        }

        @Test func aMergePastMaxPhonesIsRefusedNotTrimmed() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                let dedupe = try RequestClient(url: TestBroker.url(url, as: "dedupe-service"), appID: "dedupe-service")
                let a = try Helpers.create(dedupe) { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.extraPhones = ["+79120000011"] }
                let b = try Helpers.create(dedupe) { $0.firstName = "Аня"; $0.phone = "+79120000002"; $0.extraPhones = ["+79120000012"] }
                let refused = try Helpers.error(dedupe, "client.merge", Helpers.body(ClientMerge(
                    storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID], maxPhones: 3)))
                #expect(refused?.code == .validationFailed && refused?.details.first?.field == "max_phones")
                #expect(refused?.details.first?.problem == "too_many_phones" && refused?.details.first?.extra["phones"] == .integer(4))
                let merged = try dedupe.result(of: "client.merge", body: Helpers.body(ClientMerge(
                    storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID])), as: ClientCard.self)
                #expect(merged.fields.extraPhones == ["+79120000011", "+79120000002", "+79120000012"], "no default cap: every phone kept")
            }
        }

        @Test func anOrderTyingTwoCardsIsPublishedOnce() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { worker in
                let operators = try Self.operatorClient(url)
                let a = try Helpers.create(operators) { $0.firstName = "Анна"; $0.phone = "+79120000001"; $0.email = "a@example.ru" }
                let b = try Helpers.create(operators) { $0.firstName = "Аня"; $0.phone = "+79120000002"; $0.email = "b@example.ru" }
                let tap = try EventTap(url: url, keys: ["client.tie_recorded"])
                // The storefront publishes (it may declare nothing: no ConfirmedPublisher).
                let shop = try AMQPConnection(url: TestBroker.url(url, as: "shop-s1"))
                try shop.enableConfirms()
                for order in [orderPlacedMessage(order: "t-1", phone: "+79120000001", email: "b@example.ru"),
                              orderPlacedMessage(order: "t-1", phone: "+79120000001", email: "b@example.ru"),
                              orderPlacedMessage(order: "t-2", phone: "+79120000002", email: "a@example.ru")] {
                    try shop.publish(exchange: Exchanges.events, routingKey: "order.placed", message: order)
                }
                try shop.waitForConfirms()
                let events = try tap.collect(3, timeout: .seconds(5)).map { try JSONCoding.decoder.decode(ClientTieRecorded.self, from: $0.body) }
                #expect(events.map(\.orderID) == ["t-1", "t-2"], "the order placed twice is tied once")
                #expect(events.first?.attributedTo == a.clientID && events.first?.otherClientID == b.clientID)
                #expect(events.first?.keys.map(\.kind) == [.phone, .email])
                #expect(events.last?.attributedTo == b.clientID && events.last?.otherClientID == a.clientID)
                #expect(try worker.count("SELECT COUNT(*) FROM client_tie") == 2)
            }
        }
    }
}
