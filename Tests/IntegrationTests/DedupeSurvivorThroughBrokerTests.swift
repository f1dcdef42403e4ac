import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// What a dedupe merge leaves on the survivor, through the broker with client-service running:
    /// the priority client's name and e-mail with every phone kept, the note of the merged clients,
    /// corporate clients with their contact persons; and the unmerge taking it all back.
    @Suite struct DedupeSurvivorThroughBrokerTests {
        /// Every phone a card holds, as a set.
        static func phones(_ f: ClientFields) -> Set<String> { Set([f.phone, f.landlinePhone].compactMap { $0 } + (f.extraPhones ?? [])) }

        @Test func priorityFirstWithTheNoteAndPriorityLastWithout() async throws {
            try await DedupeDriver.running { d, dedupe in
                // Two pairs tied by a shared landline; each card has its own mobile and e-mail.
                let f1 = try d.create("first") { $0.firstName = "Фёдор"; $0.email = "fedor@example.ru"; $0.phone = "+79161000001"; $0.landlinePhone = "+74958000001" }
                let f2 = try d.create("first") {
                    $0.firstName = "Федя"; $0.lastName = "Фёдоров"; $0.email = "fedya@example.ru"; $0.phone = "+79161000002"; $0.landlinePhone = "+74958000001"
                }
                let l1 = try d.create("last") { $0.firstName = "Лев"; $0.email = "lev@example.ru"; $0.phone = "+79162000001"; $0.landlinePhone = "+74958000002" }
                let l2 = try d.create("last") { $0.firstName = "Лёва"; $0.email = "leva@example.ru"; $0.phone = "+79162000002"; $0.landlinePhone = "+74958000002" }
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 4 })
                try d.settings("first") { $0.priority = "first"; $0.noteOnSurvivor = true }
                try d.settings("last") { $0.priority = "last" }

                let first = try d.ended(d.analyze("first")), last = try d.ended(d.analyze("last"))
                let fg = try #require(try d.report(first).first), lg = try #require(try d.report(last).first)
                #expect(fg.survivorID == f1.clientID && fg.proposed.firstName == "Фёдор" && fg.proposed.email == "fedor@example.ru")
                #expect(fg.proposed.lastName == "Фёдоров", "a field the survivor lacks comes from the other card")
                #expect(lg.survivorID == l2.clientID && lg.proposed.firstName == "Лёва" && lg.proposed.email == "leva@example.ru")
                #expect(Set(fg.proposed.phones) == ["+79161000001", "+79161000002", "+74958000001"])

                let run = try d.merge(first)
                _ = try d.merge(last)
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 2 })
                let fs = try d.card("first", f1.clientID), ls = try d.card("last", l2.clientID)
                #expect(try d.card("first", f2.clientID).mergedInto == f1.clientID && d.card("last", l1.clientID).mergedInto == l2.clientID)
                #expect(fs.fields.firstName == "Фёдор" && fs.fields.email == "fedor@example.ru" && fs.fields.lastName == "Фёдоров")
                #expect(Self.phones(fs.fields) == ["+79161000001", "+79161000002", "+74958000001"], "every phone kept")
                #expect(ls.fields.firstName == "Лёва" && ls.fields.email == "leva@example.ru")
                #expect(Self.phones(ls.fields) == ["+79162000001", "+79162000002", "+74958000002"])

                // The note: the merged client's data and the value that tied them, written as dedupe-service.
                var notes: [ClientNote] = []
                #expect(eventually(timeout: .seconds(10)) {
                    notes = ((try? d.card("first", f1.clientID))?.notes ?? []).filter { $0.author == "dedupe-service" }
                    return !notes.isEmpty
                })
                let text = notes.first?.text ?? ""
                for part in [f2.clientID, "Федя Фёдоров", "fedya@example.ru", "+79161000002", "+74958000001", run.runID] {
                    #expect(text.contains(part), "\(part) in \(text)")
                }
                #expect(notes.count == 1)
                #expect(try d.card("last", l2.clientID).notes?.isEmpty != false, "note_on_survivor off: no note")

                // The unmerge brings both cards back as they were; the note stays on the card it was written on.
                _ = try d.client.result(of: "dedupe.unmerge", body: d.body(DedupeUnmerge(storeID: "first", runID: run.runID)), as: DedupeLogResult.self)
                #expect(try eventually(timeout: .seconds(10)) { try d.card("first", f2.clientID).mergedInto == nil })
                let back = try d.card("first", f1.clientID), restored = try d.card("first", f2.clientID)
                #expect(restored.fields == f2.fields)
                #expect(back.fields.lastName == nil && Self.phones(back.fields) == Self.phones(f1.fields) && back.fields.email == f1.fields.email)
                #expect(back.notes?.map(\.author) == ["dedupe-service"] && restored.notes?.isEmpty != false)
            }
        }

        @Test func corporateClientsMergeWithTheirContactPersonsAndComeBack() async throws {
            try await DedupeDriver.running { d, dedupe in
                func company(_ name: String, inn: String?, contact: ClientCard) throws -> ClientCard {
                    try d.create("co") {
                        $0.kind = .company; $0.firstName = name
                        $0.companies = [ClientCompany(name: name, inn: inn, contactPersonIDs: [contact.clientID])]
                    }
                }
                let olga = try d.create("co") { $0.firstName = "Ольга"; $0.phone = "+79163000001"; $0.email = "olga@corp.example" }
                let oleg = try d.create("co") { $0.firstName = "Олег"; $0.phone = "+79163000002" }
                // a–b: the same INN, each with its own contact person; a–c: Ольга is the contact of both.
                let a = try company("ООО Василёк", inn: "7710140679", contact: olga)
                let b = try company("Василёк", inn: "7710140679", contact: oleg)
                let c = try company("ИП Смирнов", inn: nil, contact: olga)
                #expect(try eventually(timeout: .seconds(10)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 5 })

                let job = try d.ended(d.analyze("co"))
                let groups = try d.report(job)
                #expect(groups.map(\.ids) == [[a.clientID, b.clientID, c.clientID]], "a company and its own contact person never")
                #expect(Set(groups.first?.reasons.map(\.kind) ?? []) == ["inn", "contact_phone", "contact_email"])
                let run = try d.merge(job)
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1 })

                let survivor = try d.card("co", a.clientID)
                #expect(try [b, c].map { try d.card("co", $0.clientID).mergedInto } == [a.clientID, a.clientID])
                #expect(try [olga, oleg].map { try d.card("co", $0.clientID).mergedInto } == [nil, nil], "contact persons stay cards of their own")
                let companies = survivor.fields.companies ?? []
                #expect(Set(companies.flatMap { $0.contactPersonIDs ?? [] }) == [olga.clientID, oleg.clientID], "both contact persons on the survivor")
                #expect(companies.map(\.name) == ["ООО Василёк", "Василёк", "ИП Смирнов"], "each company entry kept as it was, not combined by INN")

                _ = try d.client.result(of: "dedupe.unmerge", body: d.body(DedupeUnmerge(storeID: "co", runID: run.runID)), as: DedupeLogResult.self)
                #expect(try eventually(timeout: .seconds(10)) {
                    try [b, c].allSatisfy { try d.card("co", $0.clientID).mergedInto == nil }
                })
                #expect(try d.card("co", a.clientID).fields.companies == a.fields.companies)
                #expect(try d.card("co", b.clientID).fields == b.fields && d.card("co", c.clientID).fields == c.fields)
            }
        }
    }
}
