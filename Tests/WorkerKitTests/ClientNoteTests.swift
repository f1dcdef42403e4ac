import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Testing
@testable import WorkerKit

/// Notes on a card: written by the verified sender, listed newest last, seen on a survivor and
/// given back by an unmerge.
@Suite struct ClientNoteTests {
    static func note(_ h: inout ProcessorHarness, _ clientID: String, _ text: String, as user: String = DevelopmentUsers.operatorName) throws -> ClientCard {
        let reply = try h.ask("client.note.add", ClientNoteAdd(storeID: "s1", clientID: clientID, text: text), as: user)
        guard let result = reply.result else { throw HarnessError.failed(reply.error) }
        return try JSONCoding.decoder.decode(ClientCard.self, from: JSONCoding.encoder.encode(result))
    }

    static func notes(_ h: inout ProcessorHarness, _ clientID: String) throws -> [ClientNote] {
        try h.card("client.get", ClientRef(storeID: "s1", clientID: clientID)).notes ?? []
    }

    @Test(arguments: TestEngine.all) func notesAreListedNewestLastWithTheSenderAsAuthor(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let anna = try h.card("client.create", ClientMergeTests.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: []))
        let none = try Self.notes(&h, anna.clientID)
        #expect(none == [], "client.get lists the (empty) notes")
        let first = try Self.note(&h, anna.clientID, "Просила звонить после 18:00")
        #expect(first.notes?.map(\.text) == ["Просила звонить после 18:00"] && first.notes?.first?.author == DevelopmentUsers.operatorName)
        #expect(first.version == anna.version, "a note is no change of the card")
        _ = try Self.note(&h, anna.clientID, "Объединена с дублем", as: "dedupe-service")
        let notes = try Self.notes(&h, anna.clientID)
        #expect(notes.map(\.text) == ["Просила звонить после 18:00", "Объединена с дублем"])
        #expect(notes.map(\.author) == [DevelopmentUsers.operatorName, "dedupe-service"])
        #expect(Set(notes.map(\.noteID)).count == 2 && notes.allSatisfy { $0.clientID == nil })

        let unknown = try h.ask("client.note.add", ClientNoteAdd(storeID: "s1", clientID: "nobody", text: "x"))
        #expect(unknown.error?.code == .notFound)
        let shop = try h.ask("client.note.add", ClientNoteAdd(storeID: "s1", clientID: anna.clientID, text: "x"), as: "shop-s1")
        #expect(shop.error?.code == .unauthorized)
        let empty = try h.ask("client.note.add", ClientNoteAdd(storeID: "s1", clientID: anna.clientID, text: ""))
        #expect(empty.error?.code == .validationFailed && empty.error?.details.first?.field == "text")
        #expect(try h.count("SELECT COUNT(*) FROM client_note") == 2)
    }

    @Test(arguments: TestEngine.all) func notesFollowAMergeAndAnUnmergeGivesThemBack(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let a = try h.card("client.create", ClientMergeTests.client("Анна", phone: "+79120000001", email: "a@example.ru", groups: []))
        let b = try h.card("client.create", ClientMergeTests.client("Аня", phone: "+79120000002", email: "b@example.ru", groups: []))
        let c = try h.card("client.create", ClientMergeTests.client("Ася", phone: "+79120000003", email: "c@example.ru", groups: []))
        _ = try Self.note(&h, a.clientID, "A1")
        _ = try Self.note(&h, b.clientID, "B1")
        _ = try Self.note(&h, c.clientID, "C1")
        // c into b, then b into a: a sees the notes of both, in the order they were written.
        _ = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: b.clientID, mergedIDs: [c.clientID]))
        _ = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: a.clientID, mergedIDs: [b.clientID]))
        let onSurvivor = try Self.notes(&h, a.clientID)
        #expect(onSurvivor.map(\.text) == ["A1", "B1", "C1"])
        #expect(onSurvivor.map(\.clientID) == [nil, b.clientID, c.clientID], "each says whose card it was written on")
        let refused = try h.ask("client.note.add", ClientNoteAdd(storeID: "s1", clientID: b.clientID, text: "late"))
        #expect(refused.error?.code == .conflict, "a merged card takes no notes: the survivor does")
        _ = try Self.note(&h, a.clientID, "A2")

        _ = try h.card("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: b.clientID))
        let (onA, onB) = (try Self.notes(&h, a.clientID), try Self.notes(&h, b.clientID))
        #expect(onA.map(\.text) == ["A1", "A2"])
        #expect(onB.map(\.text) == ["B1", "C1"], "b is back with its notes and c's (c is still merged into b)")
        _ = try h.card("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: c.clientID))
        let (bAlone, cAlone) = (try Self.notes(&h, b.clientID), try Self.notes(&h, c.clientID))
        #expect(bAlone.map(\.text) == ["B1"] && cAlone.map(\.text) == ["C1"] && cAlone.first?.clientID == nil)
    }
}
