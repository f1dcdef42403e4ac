import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Testing
@testable import WorkerKit

/// The index, the settings, an analysis job and its report through the message processor, on both engines.
@Suite struct ServiceTests {
    @Test(arguments: TestEngine.all)
    func indexFollowsTheCards(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        try h.send("client.created", card("c1", email: "Anna@Mail.Example", phone: "+79161234567", extra: ["+79031112233"],
                                          companies: [ClientCompany(name: "ООО Ромашка", inn: "7707083893", contactPersonIDs: ["c9"])]))
        let keys = try h.storage.read { db in
            try db.rows("SELECT kind, value FROM dedupe_key WHERE client_id = 'c1' ORDER BY kind, value").map { "\($0[0] as String)=\($0[1] as String)" }
        }
        #expect(keys == ["contact=c9", "email=anna@mail.example", "inn=7707083893", "phone=+79031112233", "phone=+79161234567"])
        // An older version never rolls the card back; a newer one replaces its keys.
        try h.send("client.updated", card("c1", version: 3, phone: "+79160000000"))
        try h.send("client.updated", card("c1", version: 2, email: "old@mail.example"))
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_key WHERE client_id = 'c1'") == 1)
        try h.send("client.deleted", ClientLifecycle(clientID: "c1", storeID: "s1", version: 4, at: Date()))
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_client WHERE client_id = 'c1' AND deleted = TRUE") == 1)
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "c2", mergedIDs: ["c1"], mergedAt: Date()))
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_client WHERE merged_into = 'c2'") == 1)
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "c2", restoredIDs: ["c1"], unmergedAt: Date()))
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_client WHERE merged_into IS NOT NULL") == 0)
        try h.send("client.tie_recorded", ClientTieRecorded(
            storeID: "s1", orderID: "o-1", attributedTo: "c2", otherClientID: "c1",
            keys: [.init(kind: .phone, value: "8 916 000-00-00", clientID: "c1")], recordedAt: Date()))
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_tie WHERE client_a = 'c1' AND key_values LIKE '%+79160000000%'") == 1)
    }

    @Test(arguments: TestEngine.all)
    func settingsDefaultsUpdateAndExclusions(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        let defaults = try h.result("dedupe.settings.get", DedupeSettingsGet(storeID: "s1"), as: DedupeSettingsView.self)
        #expect(defaults.fields.matchByPhone == true && defaults.fields.crossStore == false && defaults.fields.maxPhones == nil)
        #expect(defaults.fields.autoMergeIntervalMinutes == 30 && defaults.fields.priority == "first")
        var change = DedupeSettingsFields()
        change.excludedPhones = ["8 (495) 000-00-00"]
        change.excludedEmails = ["NoReply@Shop.Example"]
        change.maxPhones = 3
        change.priority = "last"
        let updated = try h.result("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change),
                                   as: DedupeSettingsView.self)
        #expect(updated.fields.excludedPhones == ["+74950000000"] && updated.fields.excludedEmails == ["noreply@shop.example"])
        #expect(updated.fields.maxPhones == 3 && updated.fields.priority == "last")
        var clear = DedupeSettingsFields()
        clear.clearsMaxPhones = true
        let cleared = try h.result("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: clear), as: DedupeSettingsView.self)
        #expect(cleared.fields.maxPhones == nil && cleared.fields.priority == "last")
        var bad = DedupeSettingsFields()
        bad.excludedPhones = ["+74950000000", "not a phone"]
        let refused = try h.ask("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: bad))
        #expect(refused.error?.code == .validationFailed && refused.error?.details.first?.field == "excluded_phones[1]")
        // Another store's operator is refused by the access layer before the handler.
        let foreign = try h.ask("dedupe.settings.get", DedupeSettingsGet(storeID: "s9"), as: DevelopmentUsers.operatorName)
        #expect(foreign.error?.code == .unauthorized)
    }

    @Test(arguments: TestEngine.all)
    func analysisJobAndReport(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        try h.send("client.created", card("a", first: "Анна", email: "anna@mail.example", phone: "+79161234567", day: 1))
        try h.send("client.created", card("b", first: "Аня", phone: "+79161234567", extra: ["+79031112233"], day: 2))
        try h.send("client.created", card("c", first: "Анна", email: "ANNA@mail.example", day: 3))
        try h.send("client.created", card("x", email: "noreply@shop.example", day: 4))
        try h.send("client.created", card("y", email: "noreply@shop.example", day: 5))
        var change = DedupeSettingsFields()
        change.excludedEmails = ["noreply@shop.example"]
        change.phoneFormat = "national"
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))

        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self,
                               user: DevelopmentUsers.operatorName)
        #expect(job.status == "queued" && job.startedBy == DevelopmentUsers.operatorName)
        let progress = try h.runJobs()
        #expect(progress.first?.status == "queued" && progress.last?.status == "done")
        let done = try h.result("dedupe.job.get", DedupeJobRef(storeID: "s1", jobID: job.jobID), as: DedupeJobView.self)
        #expect(done.status == "done" && done.clients == 5 && done.groups == 1 && done.skipped == 0)

        let report = try h.result("dedupe.report", DedupeReportQuery(storeID: "s1", jobID: job.jobID), as: DedupeReportResult.self)
        let group = try #require(report.groups.first)
        #expect(group.clients.map(\.clientID) == ["a", "b", "c"] && group.survivorID == "a")
        #expect(group.proposed.phones == ["+79161234567", "+79031112233"] && group.proposed.email == "anna@mail.example")
        #expect(Set(group.reasons.map(\.kind)) == ["phone", "email"])
        #expect(group.reasons.contains { $0.value == "8 (916) 123-45-67" })
        #expect(report.nextCursor == nil)
        // Another store's job is unknown; a finished job cannot be cancelled.
        #expect(try h.ask("dedupe.job.get", DedupeJobRef(storeID: "s2", jobID: job.jobID)).error?.code == .notFound)
        #expect(try h.ask("dedupe.job.cancel", DedupeJobRef(storeID: "s1", jobID: job.jobID)).error?.code == .conflict)
    }

    @Test(arguments: TestEngine.all)
    func aCancelledJobNeverRuns(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        try h.send("client.created", card("a", phone: "+79161234567"))
        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self)
        let cancelled = try h.result("dedupe.job.cancel", DedupeJobRef(storeID: "s1", jobID: job.jobID), as: DedupeJobView.self)
        #expect(cancelled.status == "cancelled")
        try h.runJobs()
        #expect(try h.result("dedupe.job.get", DedupeJobRef(storeID: "s1", jobID: job.jobID), as: DedupeJobView.self).status == "cancelled")
        #expect(try h.ask("dedupe.report", DedupeReportQuery(storeID: "s1", jobID: job.jobID)).error?.code == .conflict)
    }

    @Test(arguments: TestEngine.all)
    func reportPages(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        for i in 0..<5 {
            let phone = String(format: "+7916000%04d", i)
            try h.send("client.created", card("p\(i)a", phone: phone, day: Double(i)))
            try h.send("client.created", card("p\(i)b", phone: phone, day: Double(i) + 0.5))
        }
        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self)
        try h.runJobs()
        var numbers: [Int] = []
        var after: Int?
        repeat {
            let page = try h.result("dedupe.report", DedupeReportQuery(storeID: "s1", jobID: job.jobID, after: after, limit: 2),
                                    as: DedupeReportResult.self)
            numbers += page.groups.map(\.number)
            after = page.nextCursor
        } while after != nil
        #expect(numbers == [1, 2, 3, 4, 5])
    }
}
