import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
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

    @Test(arguments: TestEngine.all) func fieldRulesChooseWhoseValueWinsAndEveryPhoneIsKept(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", Self.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: []))
        let b = try h.card("client.create", Self.client("Анастасия", phone: "+79120000002", email: "b@example.ru", groups: []))
        let c = try h.card("client.create", Self.client("Ася", phone: "+79120000003", email: "c@example.ru", groups: []))
        // Three phones for a limit of two: refused, not trimmed, and nothing changed.
        let refused = try h.ask("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID, c.clientID],
                                                           maxPhones: 2, fieldRules: ["first_name": b.clientID]))
        #expect(refused.error?.code == .validationFailed)
        #expect(refused.error?.details == [ErrorDetail(field: "max_phones", problem: "too_many_phones",
                                                       extra: ["phones": .integer(3), "max_phones": .integer(2)])])
        #expect(try h.count("SELECT COUNT(*) FROM client WHERE merged_into IS NOT NULL") == 0)
        #expect(try h.card("client.get", ClientRef(storeID: "s1", clientID: a.clientID)).fields == a.fields)

        // No max_phones: no limit of the command's own; every phone is kept.
        let merged = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID, c.clientID],
                                                           fieldRules: ["first_name": b.clientID]))
        #expect(merged.fields.firstName == "Анастасия")
        #expect(merged.fields.phone == "+79120000001" && merged.fields.extraPhones == ["+79120000002", "+79120000003"])
        let twice = try h.ask("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        #expect(twice.error?.code == .conflict)
        #expect(try h.ask("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: a.clientID)).error?.code == .notFound)
    }

    /// A card with as many phones as a card holds: its own and 20 extra (+79120000001…20).
    static func clientHoldingAllPhones() -> ClientCreate {
        var many = client("Анна", phone: "+79120000000", email: "a@example.ru", groups: [])
        many.fields.extraPhones = (1...20).map { "+7912000\(String(format: "%04d", $0))" }
        return many
    }

    @Test(arguments: TestEngine.all) func aMergeUpToWhatACardHoldsAndOnePast(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", Self.clientHoldingAllPhones())
        let b = try h.card("client.create", Self.client("Аня", phone: "+79120000005", email: "b@example.ru", groups: []))
        let c = try h.card("client.create", Self.client("Ася", phone: "+79130000000", email: "c@example.ru", groups: []))
        // b's phone is one a has already: still 21 phones, what a card holds.
        let within = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        #expect(within.fields.extraPhones?.count == 20)
        // c's phone would be the 22nd: more than a card holds, refused without max_phones too.
        let over = try h.ask("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [c.clientID]))
        #expect(over.error?.details.first?.field == "merged_ids" && over.error?.details.first?.problem == "too_many_phones")
        #expect(over.error?.details.first?.extra["phones"] == .integer(22))
    }

    /// A merge sent without reply_to (dedupe-service's, from its outbox) that is refused: nothing
    /// changes, and the refusal is published as `client.merge_refused` instead of dead-lettered.
    @Test(arguments: TestEngine.all) func aRefusedMergeWithoutReplyToIsAnnounced(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", Self.clientHoldingAllPhones())
        let b = try h.card("client.create", Self.client("Аня", phone: "+79130000000", email: "b@example.ru", groups: []))
        let merge = AMQPMessage(body: try JSONCoding.encoder.encode(ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID])),
                                messageID: "merge-1", type: "client.merge", userID: "dedupe-service")
        let outcome = try h.process(merge)
        guard case .handled = outcome else { Issue.record("\(outcome)"); return }
        #expect(try h.count("SELECT COUNT(*) FROM client WHERE merged_into IS NOT NULL") == 0)
        let events = try h.outbox().filter { $0.routingKey == "client.merge_refused" }
        let refused = try JSONCoding.decoder.decode(ClientMergeRefused.self, from: try #require(events.first).body)
        #expect(events.count == 1 && refused.commandID == "merge-1" && refused.requestedBy == "dedupe-service")
        #expect(refused.survivorID == a.clientID && refused.mergedIDs == [b.clientID])
        #expect(refused.error.code == .validationFailed && refused.error.details.first?.problem == "too_many_phones")
        #expect(try !h.outbox().contains { $0.routingKey == "client.merged" })
        // With reply_to the sender is answered as before, and nothing is announced.
        let asked = try h.ask("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        #expect(asked.error?.code == .validationFailed)
        #expect(try h.outbox().filter { $0.routingKey == "client.merge_refused" }.count == 1)
    }
}
