import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// Each dedupe setting's effect through the broker, with client-service running: a store with
    /// the setting beside a store without it (or two accounts of two stores for cross-store
    /// matching), their analyses, then the merges client-service does.
    @Suite struct DedupeSettingsThroughBrokerTests {
        static func landline(_ d: DedupeDriver, _ store: String, _ name: String, _ phone: String) throws -> ClientCard {
            try d.create(store) { $0.firstName = name; $0.landlinePhone = phone }
        }

        static func company(_ d: DedupeDriver, _ store: String, _ name: String, inn: String? = nil, contact: String? = nil) throws -> ClientCard {
            try d.create(store) {
                $0.kind = .company; $0.firstName = name
                $0.companies = [ClientCompany(name: name, inn: inn, contactPersonIDs: contact.map { [$0] })]
            }
        }

        /// Every analysis queued at once (the timer runs them one after another), each to its end.
        static func analyses(_ d: DedupeDriver, _ stores: [String]) throws -> [String: (job: DedupeJobView, groups: [DedupeGroup])] {
            let queued = try stores.map { try d.analyze($0) }
            var ended: [String: (job: DedupeJobView, groups: [DedupeGroup])] = [:]
            for job in queued {
                let done = try d.ended(job)
                #expect(done.status == "done", "\(done)")
                ended[job.storeID] = (done, try d.report(job))
            }
            return ended
        }

        static func mergedInto(_ d: DedupeDriver, _ store: String, _ card: ClientCard) throws -> String? {
            try d.card(store, card.clientID).mergedInto
        }

        @Test func matchingByPhoneOffAndExclusionLists() async throws {
            try await DedupeDriver.running { d, dedupe in
                // Matching by phone off: a shared landline ties nobody; a shared INN still does.
                _ = try Self.landline(d, "ph-off", "Пётр", "+74953000003")
                _ = try Self.landline(d, "ph-off", "Петя", "+74953000003")
                let k1 = try Self.company(d, "ph-off", "ООО Ромашка", inn: "7707083893")
                let k2 = try Self.company(d, "ph-off", "Ромашка", inn: "7707083893")
                // Exclusion lists: an office phone (written nationally in the list) and a placeholder INN tie nobody.
                _ = try Self.landline(d, "excl", "Офис 1", "+74953000000")
                _ = try Self.landline(d, "excl", "Офис 2", "+74953000000")
                _ = try Self.company(d, "excl", "Маркетплейс 1", inn: "7736207543")
                _ = try Self.company(d, "excl", "Маркетплейс 2", inn: "7736207543")
                let g1 = try Self.landline(d, "excl", "Галина", "+74954000004")
                let g2 = try Self.landline(d, "excl", "Галя", "+74954000004")
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 10 })
                try d.settings("ph-off") { $0.matchByPhone = false }
                try d.settings("excl") { $0.excludedPhones = ["8 (495) 300-00-00"]; $0.excludedINNs = ["7736207543"] }

                let reports = try Self.analyses(d, ["ph-off", "excl"])
                #expect(reports["ph-off"]?.groups.map(\.ids) == [[k1.clientID, k2.clientID]])
                #expect(reports["ph-off"]?.groups.first?.reasons.map(\.kind) == ["inn"])
                #expect(reports["excl"]?.groups.map(\.ids) == [[g1.clientID, g2.clientID]])
                #expect(reports["excl"]?.groups.first?.survivorID == g1.clientID)

                _ = try d.merge(reports["excl"]!.job)
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1 })
                #expect(try Self.mergedInto(d, "excl", g2) == g1.clientID)
            }
        }

        @Test func crossStoreOffAndOnAndMatchingByEmailOff() async throws {
            try await DedupeDriver.running { d, dedupe in
                for (store, account) in [("on-1", "acc-on"), ("on-2", "acc-on"), ("off-1", "acc-off"), ("off-2", "acc-off")] {
                    _ = try d.client.result(of: "store.upsert", body: d.body(StoreUpsert(storeID: store, accountID: account)), as: StoreCard.self)
                }
                // Cross-store on (on-1's settings; an account-wide analysis), with an excluded e-mail.
                let x1 = try d.create("on-1") { $0.firstName = "Ксения"; $0.email = "same@example.ru" }
                let y1 = try Self.landline(d, "on-1", "Юрий", "+74951000001")
                let y2 = try Self.landline(d, "on-1", "Юра", "+74951000001")
                _ = try d.create("on-1") { $0.firstName = "Без почты 1"; $0.email = "noreply@shop.example" }
                let x2 = try d.create("on-2") { $0.firstName = "Ксюша"; $0.email = "same@example.ru" }
                let y3 = try Self.landline(d, "on-2", "Юрий Ю.", "+74951000001")
                _ = try d.create("on-2") { $0.firstName = "Без почты 2"; $0.email = "noreply@shop.example" }
                // Cross-store off (the default).
                let z1 = try Self.landline(d, "off-1", "Зоя", "+74952000002")
                let z2 = try Self.landline(d, "off-2", "Зоя З.", "+74952000002")
                #expect(try eventually(timeout: .seconds(15)) {
                    try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 9 && dedupe.count("SELECT COUNT(*) FROM dedupe_store") == 4
                })
                try d.settings("on-1") { $0.crossStore = true; $0.excludedEmails = ["NoReply@shop.example"] }

                let jobs = try [d.analyze("on-1", accountWide: true), d.analyze("off-1", accountWide: true)].map { try d.ended($0) }
                let on = try d.report(jobs[0]), off = try d.report(jobs[1])
                #expect(on.map(\.ids) == [[x1.clientID, x2.clientID], [y1.clientID, y2.clientID, y3.clientID]], "the excluded e-mail ties nobody")
                #expect(on.allSatisfy { $0.crossStore && $0.skipped == nil }, "each group spanning stores is marked")
                #expect(off.map(\.ids) == [[z1.clientID, z2.clientID]] && off.first?.skipped == "cross_store")

                // A run merges only the cards of its own store: y1–y2 of on-1; x1–x2 has one card there.
                let runOn = try d.merge(jobs[0]), runOff = try d.merge(jobs[1])
                #expect(runOn.groupsSent == 1 && runOn.groupsSkipped == 1)
                #expect(runOff.groupsSent == 0 && runOff.groupsSkipped == 1 && runOff.status == "done")
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 2 })
                #expect(try Self.mergedInto(d, "on-1", y2) == y1.clientID && Self.mergedInto(d, "on-2", y3) == nil)
                #expect(try Self.mergedInto(d, "on-2", x2) == nil && Self.mergedInto(d, "off-2", z2) == nil)

                // Matching by e-mail off: x1–x2 is no group any more; y1–y3 still is (y2 is merged now).
                try d.settings("on-1") { $0.matchByEmail = false }
                let again = try d.ended(d.analyze("on-1", accountWide: true))
                #expect(try d.report(again).map(\.ids) == [[y1.clientID, y3.clientID]])
            }
        }

        @Test func thePhoneLimitKeepsAGroupFromMerging() async throws {
            try await DedupeDriver.running { d, dedupe in
                // The limit (2): h1 + h2 would have three phones; h3 + h4 have one.
                let h1 = try d.create("limit") { $0.firstName = "Хасан"; $0.phone = "+79160000101"; $0.landlinePhone = "+74955000005" }
                let h2 = try d.create("limit") { $0.firstName = "Хас"; $0.phone = "+79160000102"; $0.landlinePhone = "+74955000005" }
                let h3 = try Self.landline(d, "limit", "Хельга", "+74955000006")
                let h4 = try Self.landline(d, "limit", "Хеля", "+74955000006")
                // The same pair without a limit (the default: none).
                let n1 = try d.create("nolimit") { $0.firstName = "Хасан"; $0.phone = "+79160000101"; $0.landlinePhone = "+74955000005" }
                let n2 = try d.create("nolimit") { $0.firstName = "Хас"; $0.phone = "+79160000102"; $0.landlinePhone = "+74955000005" }
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 6 })
                try d.settings("limit") { $0.maxPhones = 2 }

                let reports = try Self.analyses(d, ["limit", "nolimit"])
                let limit = reports["limit"]?.groups ?? []
                #expect(limit.map(\.ids) == [[h1.clientID, h2.clientID], [h3.clientID, h4.clientID]])
                #expect(limit.map(\.skipped) == ["phone_limit", nil] && limit.first?.proposed.phones.count == 3)
                #expect(reports["nolimit"]?.groups.map(\.skipped) == [nil])

                let run = try d.merge(reports["limit"]!.job)
                #expect(run.groupsSent == 1 && run.groupsSkipped == 1)
                _ = try d.merge(reports["nolimit"]!.job)
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 2 })
                #expect(try Self.mergedInto(d, "limit", h2) == nil && Self.mergedInto(d, "limit", h4) == h3.clientID)
                #expect(try Self.mergedInto(d, "nolimit", n2) == n1.clientID)
                #expect(try d.card("nolimit", n1.clientID).fields.extraPhones == ["+79160000102"], "no limit: every phone kept")
            }
        }

        @Test func corporateClientsBySameINNAndContactsOnAndOff() async throws {
            try await DedupeDriver.running { d, dedupe in
                var corporate: [String: [ClientCard]] = [:]
                for store in ["corp", "nocorp"] {
                    let person = try d.create(store) { $0.firstName = "Контакт"; $0.phone = "+79160000201"; $0.email = "cp@example.ru" }
                    corporate[store] = [try Self.company(d, store, "ООО Лютик", inn: "7702070139"), try Self.company(d, store, "Лютик", inn: "7702070139"),
                                        try Self.company(d, store, "ИП Петров", contact: person.clientID),
                                        try Self.company(d, store, "Петров и сыновья", contact: person.clientID)]
                }
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 10 })
                try d.settings("nocorp") { $0.mergeSameINN = false; $0.mergeContacts = false }

                let reports = try Self.analyses(d, ["corp", "nocorp"])
                let c = corporate["corp"]!.map(\.clientID)
                #expect(reports["corp"]?.groups.map(\.ids) == [[c[0], c[1]], [c[2], c[3]]])
                #expect(reports["corp"]?.groups.map { Set($0.reasons.map(\.kind)) } == [["inn"], ["contact_phone", "contact_email"]])
                #expect(reports["nocorp"]?.groups.isEmpty == true)

                _ = try d.merge(reports["corp"]!.job)
                #expect(try eventually(timeout: .seconds(15)) { try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 1 })
                #expect(try Self.mergedInto(d, "corp", corporate["corp"]![1]) == c[0] && Self.mergedInto(d, "corp", corporate["corp"]![3]) == c[2])
            }
        }
    }
}
