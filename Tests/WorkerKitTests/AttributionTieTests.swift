import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Testing
@testable import WorkerKit

/// An order whose keys belong to two live cards is attributed as before, and the tie is recorded
/// and published once.
@Suite struct AttributionTieTests {
    static func ties(_ h: ProcessorHarness) throws -> [ClientTieRecorded] {
        try h.outbox().filter { $0.routingKey == "client.tie_recorded" }.map { try JSONCoding.decoder.decode(ClientTieRecorded.self, from: $0.body) }
    }

    static func attributedTo(_ h: ProcessorHarness, order: String) throws -> String? {
        try h.outbox().filter { $0.routingKey == "order.attributed" }
            .map { try JSONCoding.decoder.decode(OrderAttributed.self, from: $0.body) }.first { $0.orderID == order }?.clientID
    }

    @Test(arguments: TestEngine.all) func aPhoneOfOneCardAndAnEmailOfAnotherMakeATie(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", ClientMergeTests.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: []))
        let b = try h.card("client.create", ClientMergeTests.client("Аня", phone: "+79120000002", email: "b@example.ru", groups: []))
        _ = try h.process(orderPlacedMessage(order: "t-1", phone: "8 912 000-00-01", email: "B@Example.ru", messageID: "m-1"))
        #expect(try Self.attributedTo(h, order: "t-1") == a.clientID, "attributed as before: the phone first")
        let ties = try Self.ties(h)
        #expect(ties.count == 1)
        let tie = try #require(ties.first)
        #expect(tie.orderID == "t-1" && tie.storeID == "s1" && tie.attributedTo == a.clientID && tie.otherClientID == b.clientID)
        #expect(tie.keys == [ClientTieRecorded.Key(kind: .phone, value: "+79120000001", clientID: a.clientID),
                             ClientTieRecorded.Key(kind: .email, value: "b@example.ru", clientID: b.clientID)])
        #expect(try h.count("SELECT COUNT(*) FROM client_tie") == 1)

        // The same order again, under another message id: attributed once, tied once.
        _ = try h.process(orderPlacedMessage(order: "t-1", phone: "+79120000001", email: "b@example.ru", messageID: "m-2"))
        #expect(try Self.ties(h).count == 1 && h.count("SELECT COUNT(*) FROM client_tie") == 1)
        // Keys of one card make no tie; nor does a key no card holds.
        _ = try h.process(orderPlacedMessage(order: "t-2", phone: "+79120000001", email: "a@example.ru"))
        _ = try h.process(orderPlacedMessage(order: "t-3", phone: "+79120000002", email: "new@example.ru"))
        #expect(try Self.ties(h).count == 1)
    }

    @Test(arguments: TestEngine.all) func theShopsUserIDAgainstAPhoneAndOnlyLiveCards(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        var fields = ClientMergeTests.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: [])
        fields.fields.externalID = "u-anna"
        let a = try h.card("client.create", fields)
        let b = try h.card("client.create", ClientMergeTests.client("Аня", phone: "+79120000002", email: "b@example.ru", groups: []))
        let c = try h.card("client.create", ClientMergeTests.client("Ася", phone: "+79120000003", email: "c@example.ru", groups: []))
        // The user id wins the attribution; the phone and the e-mail point at two other cards: two ties.
        _ = try h.process(orderPlacedMessage(order: "u-1", externalID: "u-anna", phone: "+79120000002", email: "c@example.ru"))
        #expect(try Self.attributedTo(h, order: "u-1") == a.clientID)
        let ties = try Self.ties(h)
        #expect(ties.map(\.otherClientID) == [b.clientID, c.clientID])
        #expect(ties.first?.keys.map(\.kind) == [.externalID, .phone] && ties.last?.keys.map(\.kind) == [.externalID, .email])
        #expect(try h.outbox().filter { $0.routingKey == "client.tie_recorded" }.count == 2)

        // A deleted card is no evidence.
        _ = try h.card("client.delete", ClientRef(storeID: "s1", clientID: b.clientID))
        _ = try h.process(orderPlacedMessage(order: "u-2", externalID: "u-anna", phone: "+79120000002"))
        #expect(try Self.ties(h).count == 2)
    }
}
