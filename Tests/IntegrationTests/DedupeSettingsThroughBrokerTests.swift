import ClientService
import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// Each dedupe setting's effect through the broker, with client-service running: one store per
    /// setting (two accounts of two stores for cross-store matching), their analyses run side by
    /// side on dedupe-service's timer, then the merges client-service does.
    @Suite struct DedupeSettingsThroughBrokerTests {
        @Test func everySettingInAStoreOfItsOwn() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { _ in
                try await RunningWorker.with(DedupeServiceDefinition(tickEvery: .milliseconds(100)), url: url, as: "dedupe-service") { dedupe in
                    // The administrator: every store, including those of no operator.
                    let d = DedupeDriver(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.adminName), appID: "crmctl"))
                    for (store, account) in [("on-1", "acc-on"), ("on-2", "acc-on"), ("off-1", "acc-off"), ("off-2", "acc-off")] {
                        _ = try d.client.result(of: "store.upsert", body: d.body(StoreUpsert(storeID: store, accountID: account)), as: StoreCard.self)
                    }
                    func landline(_ store: String, _ name: String, _ phone: String) throws -> ClientCard {
                        try d.create(store) { $0.firstName = name; $0.landlinePhone = phone }
                    }
                    func company(_ store: String, _ name: String, inn: String? = nil, contact: String? = nil) throws -> ClientCard {
                        try d.create(store) {
                            $0.kind = .company; $0.firstName = name
                            $0.companies = [ClientCompany(name: name, inn: inn, contactPersonIDs: contact.map { [$0] })]
                        }
                    }
                    // Cross-store on (on-1's settings; an account-wide analysis), with an excluded e-mail.
                    let x1 = try d.create("on-1") { $0.firstName = "Ксения"; $0.email = "same@example.ru" }
                    let y1 = try landline("on-1", "Юрий", "+74951000001")
                    let y2 = try landline("on-1", "Юра", "+74951000001")
                    _ = try d.create("on-1") { $0.firstName = "Без почты 1"; $0.email = "noreply@shop.example" }
                    let x2 = try d.create("on-2") { $0.firstName = "Ксюша"; $0.email = "same@example.ru" }
                    let y3 = try landline("on-2", "Юрий Ю.", "+74951000001")
                    _ = try d.create("on-2") { $0.firstName = "Без почты 2"; $0.email = "noreply@shop.example" }
                    // Cross-store off (the default).
                    let z1 = try landline("off-1", "Зоя", "+74952000002")
                    let z2 = try landline("off-2", "Зоя З.", "+74952000002")
                    // Matching by phone off: a shared landline ties nobody; a shared INN still does.
                    _ = try landline("ph-off", "Пётр", "+74953000003")
                    _ = try landline("ph-off", "Петя", "+74953000003")
                    let k1 = try company("ph-off", "ООО Ромашка", inn: "7707083893")
                    let k2 = try company("ph-off", "Ромашка", inn: "7707083893")
                    // Exclusion lists: an office phone and a placeholder INN tie nobody.
                    _ = try landline("excl", "Офис 1", "+74953000000")
                    _ = try landline("excl", "Офис 2", "+74953000000")
                    _ = try company("excl", "Маркетплейс 1", inn: "7736207543")
                    _ = try company("excl", "Маркетплейс 2", inn: "7736207543")
                    let g1 = try landline("excl", "Галина", "+74954000004")
                    let g2 = try landline("excl", "Галя", "+74954000004")
                    // The phone limit (2): h1 + h2 would have three phones.
                    let h1 = try d.create("limit") { $0.firstName = "Хасан"; $0.phone = "+79160000101"; $0.landlinePhone = "+74955000005" }
                    let h2 = try d.create("limit") { $0.firstName = "Хас"; $0.phone = "+79160000102"; $0.landlinePhone = "+74955000005" }
                    let h3 = try landline("limit", "Хельга", "+74955000006")
                    let h4 = try landline("limit", "Хеля", "+74955000006")
                    // Priority: the last created.
                    let i1 = try landline("last", "Иван", "+74956000006")
                    let i2 = try landline("last", "Ваня", "+74956000006")
                    // Corporate clients: the same INN, and a shared contact person; and both switched off.
                    var corporate: [String: [ClientCard]] = [:]
                    for store in ["corp", "nocorp"] {
                        let person = try d.create(store) { $0.firstName = "Контакт"; $0.phone = "+79160000201"; $0.email = "cp@example.ru" }
                        corporate[store] = [try company(store, "ООО Лютик", inn: "7702070139"), try company(store, "Лютик", inn: "7702070139"),
                                            try company(store, "ИП Петров", contact: person.clientID),
                                            try company(store, "Петров и сыновья", contact: person.clientID)]
                    }
                    #expect(try eventually(timeout: .seconds(15)) {
                        try dedupe.count("SELECT COUNT(*) FROM dedupe_client") == 35 && dedupe.count("SELECT COUNT(*) FROM dedupe_store") == 4
                    })
                    try d.settings("on-1") { $0.crossStore = true; $0.excludedEmails = ["NoReply@shop.example"] }
                    try d.settings("ph-off") { $0.matchByPhone = false }
                    try d.settings("excl") { $0.excludedPhones = ["8 (495) 300-00-00"]; $0.excludedINNs = ["7736207543"] }
                    try d.settings("limit") { $0.maxPhones = 2 }
                    try d.settings("last") { $0.priority = "last" }
                    try d.settings("nocorp") { $0.mergeSameINN = false; $0.mergeContacts = false }

                    // Every analysis queued at once; the timer runs them one after another.
                    let queued = try [d.analyze("on-1", accountWide: true), d.analyze("off-1", accountWide: true)]
                        + ["ph-off", "excl", "limit", "last", "corp", "nocorp"].map { try d.analyze($0) }
                    var jobs: [String: DedupeJobView] = [:]
                    var reports: [String: [DedupeGroup]] = [:]
                    for job in queued {
                        jobs[job.storeID] = try d.ended(job)
                        #expect(jobs[job.storeID]?.status == "done")
                        reports[job.storeID] = try d.report(job)
                    }
                    let on = reports["on-1"] ?? []
                    #expect(on.map(\.ids) == [[x1.clientID, x2.clientID], [y1.clientID, y2.clientID, y3.clientID]], "the excluded e-mail ties nobody")
                    #expect(on.allSatisfy { $0.crossStore && $0.skipped == nil })
                    #expect(reports["off-1"]?.map(\.ids) == [[z1.clientID, z2.clientID]] && reports["off-1"]?.first?.skipped == "cross_store")
                    #expect(reports["ph-off"]?.map(\.ids) == [[k1.clientID, k2.clientID]])
                    #expect(reports["ph-off"]?.first?.reasons.map(\.kind) == ["inn"])
                    #expect(reports["excl"]?.map(\.ids) == [[g1.clientID, g2.clientID]] && reports["excl"]?.first?.survivorID == g1.clientID)
                    #expect(reports["limit"]?.map(\.ids) == [[h1.clientID, h2.clientID], [h3.clientID, h4.clientID]])
                    #expect(reports["limit"]?.map(\.skipped) == ["phone_limit", nil])
                    #expect(reports["limit"]?.first?.proposed.phones.count == 3)
                    #expect(reports["last"]?.first?.survivorID == i2.clientID && reports["last"]?.first?.proposed.firstName == "Ваня")
                    let c = corporate["corp"]!.map(\.clientID)
                    #expect(reports["corp"]?.map(\.ids) == [[c[0], c[1]], [c[2], c[3]]])
                    #expect(reports["corp"]?.map { Set($0.reasons.map(\.kind)) } == [["inn"], ["contact_phone", "contact_email"]])
                    #expect(reports["nocorp"]?.isEmpty == true)

                    // The merges, store by store.
                    var runs: [String: DedupeRunView] = [:]
                    for store in ["on-1", "off-1", "excl", "limit", "last", "corp"] { runs[store] = try d.merge(jobs[store]!) }
                    #expect(runs["on-1"]?.groupsSent == 1 && runs["on-1"]?.groupsSkipped == 1, "x1–x2 has one card in on-1: never merged")
                    #expect(runs["off-1"]?.groupsSent == 0 && runs["off-1"]?.groupsSkipped == 1 && runs["off-1"]?.status == "done")
                    #expect(runs["limit"]?.groupsSent == 1 && runs["limit"]?.groupsSkipped == 1)
                    #expect(try eventually(timeout: .seconds(15)) {
                        try dedupe.count("SELECT COUNT(*) FROM dedupe_run WHERE status = 'done'") == 6
                    })
                    func into(_ store: String, _ card: ClientCard) throws -> String? { try d.card(store, card.clientID).mergedInto }
                    #expect(try into("on-1", y2) == y1.clientID && into("on-2", y3) == nil && into("on-2", x2) == nil)
                    #expect(try into("off-2", z2) == nil)
                    #expect(try into("excl", g2) == g1.clientID)
                    #expect(try into("limit", h2) == nil && into("limit", h4) == h3.clientID)
                    #expect(try into("last", i1) == i2.clientID && d.card("last", i2.clientID).fields.firstName == "Ваня")
                    #expect(try into("corp", corporate["corp"]![1]) == c[0] && into("corp", corporate["corp"]![3]) == c[2])

                    // Matching by e-mail off: x1–x2 is no group any more; y1–y3 still is (y2 is merged now).
                    try d.settings("on-1") { $0.matchByEmail = false }
                    let again = try d.ended(d.analyze("on-1", accountWide: true))
                    #expect(try d.report(again).map(\.ids) == [[y1.clientID, y3.clientID]])
                }
            }
        }
    }
}
