import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Testing
@testable import WorkerKit

@Suite struct ClientMergeTests {
    static func client(_ first: String, last: String? = nil, phone: String, email: String, groups: [String],
                       birthday: String? = nil) -> ClientCreate {
        var f = ClientFields()
        (f.firstName, f.lastName, f.phone, f.email, f.groups, f.birthday) = (first, last, phone, email, groups, birthday)
        return ClientCreate(storeID: "s1", fields: f)
    }

    @Test(arguments: TestEngine.all) func mergeThenUnmergeRestoresBothCards(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", Self.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: ["vip"]))
        let b = try h.card("client.create", Self.client("Аня", last: "Иванова", phone: "+79120000002", email: "b@example.ru",
                                                        groups: ["wholesale"], birthday: "1990-04-12"))
        _ = try h.process(orderPlacedMessage(order: "ob-1", phone: "+79120000002"))

        let survivor = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        #expect(survivor.fields.firstName == "Анна", "the survivor keeps its fields")
        #expect(survivor.fields.lastName == "Иванова" && survivor.fields.birthday == "1990-04-12", "and takes what it lacks")
        #expect(survivor.fields.email == "a@example.ru")
        #expect(survivor.fields.phone == "+79120000001" && survivor.fields.extraPhones == ["+79120000002"], "every phone is kept")
        #expect(survivor.fields.groups == ["vip", "wholesale"])
        #expect(try h.card("client.get", ClientRef(storeID: "s1", clientID: a.clientID)).orders?.map(\.orderID) == ["ob-1"])
        #expect(try h.card("client.get", ClientRef(storeID: "s1", clientID: b.clientID)).mergedInto == a.clientID, "kept, marked, not deleted")
        let event = try #require(try h.outbox().last { $0.routingKey == "client.merged" })
        #expect(try JSONCoding.decoder.decode(ClientMerged.self, from: event.body).mergedIDs == [b.clientID])
        // An order from the merged client's phone now goes to the survivor.
        _ = try h.process(orderPlacedMessage(order: "ob-2", phone: "+79120000002"))
        #expect(try h.card("client.get", ClientRef(storeID: "s1", clientID: a.clientID)).orders?.count == 2)

        let restored = try h.card("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: b.clientID))
        #expect(restored.fields == b.fields && restored.mergedInto == nil, "the merged client comes back exactly")
        #expect(restored.orders == nil)
        let restoredOrders = try h.card("client.get", ClientRef(storeID: "s1", clientID: b.clientID)).orders?.map(\.orderID)
        #expect(restoredOrders == ["ob-1"])
        let back = try h.card("client.get", ClientRef(storeID: "s1", clientID: a.clientID))
        #expect(back.fields.lastName == nil && back.fields.birthday == nil && back.fields.extraPhones == [] && back.fields.groups == ["vip"])
        #expect(try h.outbox().contains { $0.routingKey == "client.unmerged" })
    }

    @Test(arguments: TestEngine.all) func fieldRulesChooseWhoseValueWinsAndPhonesAreCapped(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", Self.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: []))
        let b = try h.card("client.create", Self.client("Анастасия", phone: "+79120000002", email: "b@example.ru", groups: []))
        let c = try h.card("client.create", Self.client("Ася", phone: "+79120000003", email: "c@example.ru", groups: []))
        let merged = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID, c.clientID],
                                                           maxPhones: 2, fieldRules: ["first_name": b.clientID]))
        #expect(merged.fields.firstName == "Анастасия")
        #expect(merged.fields.extraPhones == ["+79120000002"], "two phones at most")
        let twice = try h.ask("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        #expect(twice.error?.code == .conflict)
        #expect(try h.ask("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: a.clientID)).error?.code == .notFound)
    }
}
