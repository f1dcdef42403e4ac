import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Testing
@testable import WorkerKit

/// Merge runs through the message processor: what goes to client-service, what its events change
/// in the log, a changed group analysed again, and unmerging a run.
@Suite struct MergeTests {
    func analysed(_ h: inout DedupeHarness) throws -> DedupeJobView {
        try h.send("client.created", card("a", email: "anna@mail.example", phone: "+79161234567", day: 1))
        try h.send("client.created", card("b", phone: "+79161234567", day: 2))
        try h.send("client.created", card("c", email: "anna@mail.example", day: 3))
        try h.send("client.created", card("p", phone: "+79035550000", day: 4))
        try h.send("client.created", card("q", phone: "+79035550000", day: 5))
        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self)
        try h.runJobs()
        return job
    }

    func sent<T: Decodable>(_ h: DedupeHarness, _ type: String, as: T.Type) throws -> [T] {
        try h.storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == type }
            .map { try JSONCoding.decoder.decode(T.self, from: $0.body) }
    }

    @Test(arguments: TestEngine.all)
    func mergeLogAndUnmergeARun(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        let job = try analysed(&h)
        let run = try h.result("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID), as: DedupeRunView.self,
                               user: DevelopmentUsers.operatorName)
        #expect(run.groupsSent == 2 && run.status == "running" && run.startedBy == DevelopmentUsers.operatorName)
        let merges = try sent(h, "client.merge", as: ClientMerge.self)
        #expect(merges.map(\.survivorID) == ["a", "p"])
        #expect(merges.map { Set($0.mergedIDs) } == [["b", "c"], ["q"]])

        for m in merges {
            try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: m.survivorID, mergedIDs: m.mergedIDs, mergedAt: Date()))
        }
        let completed = try sent(h, "dedupe.run.completed", as: DedupeRunCompleted.self)
        #expect(completed.count == 1 && completed[0].groupsMerged == 2 && completed[0].clientsMerged == 3 && !completed[0].automatic)
        let log = try h.result("dedupe.log", DedupeLogQuery(storeID: "s1", runID: run.runID), as: DedupeLogResult.self)
        #expect(log.entries.map(\.status) == ["merged", "merged"])
        #expect(log.entries.last?.reasons.isEmpty == false && log.entries.last?.startedBy == DevelopmentUsers.operatorName)

        let undo = try h.result("dedupe.unmerge", DedupeUnmerge(storeID: "s1", runID: run.runID), as: DedupeLogResult.self)
        #expect(undo.entries.count == 2)
        let unmerges = try sent(h, "client.unmerge", as: ClientUnmerge.self)
        #expect(Set(unmerges.map(\.mergedID)) == ["b", "c", "q"])
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "a", restoredIDs: ["b"], unmergedAt: Date()))
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "a", restoredIDs: ["c"], unmergedAt: Date()))
        let after = try h.result("dedupe.log", DedupeLogQuery(storeID: "s1", runID: run.runID), as: DedupeLogResult.self)
        #expect(after.entries.map(\.status) == ["unmerge_sent", "unmerged"])
        #expect(try h.ask("dedupe.unmerge", DedupeUnmerge(storeID: "s2", runID: run.runID)).error?.code == .notFound)
    }

    /// client.merge fills the survivor's empty fields from the merged clients in their order: with
    /// the last created surviving, the newer ones come first, as the proposed card was made.
    @Test(arguments: TestEngine.all)
    func mergedIDsGoInThePrioritysOrder(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        var last = DedupeSettingsFields()
        last.priority = "last"
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: last))
        let job = try analysed(&h)
        _ = try h.result("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID), as: DedupeRunView.self)
        let merges = try sent(h, "client.merge", as: ClientMerge.self)
        #expect(merges.map(\.survivorID) == ["c", "q"])
        #expect(merges.map(\.mergedIDs) == [["b", "a"], ["p"]])
    }

    @Test(arguments: TestEngine.all)
    func aMergeClientServiceRefusedIsLoggedWithItsReason(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        let job = try analysed(&h)
        let run = try h.result("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID), as: DedupeRunView.self)
        let why = ErrorBody.validationFailed([ErrorDetail(field: "merged_ids", problem: "too_many_phones", extra: ["phones": .integer(22)])],
                                             message: "the merged client would have 22 phones, more than 21")
        // Another sender's refused merge of the same survivor (other clients) is not this run's.
        try h.send("client.merge_refused", ClientMergeRefused(storeID: "s1", survivorID: "p", mergedIDs: ["x"], commandID: "c-0",
                                                              requestedBy: "operator", error: why, refusedAt: Date()))
        try h.send("client.merge_refused", ClientMergeRefused(storeID: "s1", survivorID: "p", mergedIDs: ["q"], commandID: "c-1",
                                                              requestedBy: "dedupe-service", error: why, refusedAt: Date()))
        #expect(try sent(h, "dedupe.run.completed", as: DedupeRunCompleted.self).isEmpty, "a ← b, c is still sent")
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "a", mergedIDs: ["b", "c"], mergedAt: Date()))
        let completed = try sent(h, "dedupe.run.completed", as: DedupeRunCompleted.self)
        #expect(completed.count == 1 && completed[0].groupsMerged == 1 && completed[0].clientsMerged == 2 && completed[0].groupsRefused == 1)
        let done = try #require(try h.result("dedupe.log", DedupeLogQuery(storeID: "s1", runID: run.runID), as: DedupeLogResult.self).entries.first)
        #expect(done.status == "refused" && done.survivorID == "p" && done.refusal == why)
        let log = try h.result("dedupe.log", DedupeLogQuery(storeID: "s1", runID: run.runID), as: DedupeLogResult.self)
        #expect(log.entries.map(\.status) == ["refused", "merged"])
        #expect(try h.count("SELECT groups_sent FROM dedupe_run") == 2)
        // A refused merge has nothing to undo.
        let undo = try h.result("dedupe.unmerge", DedupeUnmerge(storeID: "s1", runID: run.runID), as: DedupeLogResult.self)
        #expect(undo.entries.map(\.survivorID) == ["a"])
    }

    @Test(arguments: TestEngine.all)
    func aChangedGroupIsAnalysedAgain(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        let job = try analysed(&h)
        // Since the analysis: b took another phone (it no longer belongs), q was deleted.
        try h.send("client.updated", card("b", version: 2, phone: "+79990001122", day: 2))
        try h.send("client.deleted", ClientLifecycle(clientID: "q", storeID: "s1", version: 2, at: Date()))
        let run = try h.result("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID, groups: [1, 2]), as: DedupeRunView.self)
        #expect(run.groupsSent == 1 && run.groupsReanalysed == 1 && run.groupsSkipped == 1, "p–q is no group any more: \(run)")
        let merges = try sent(h, "client.merge", as: ClientMerge.self)
        #expect(merges.count == 1 && merges[0].survivorID == "a" && merges[0].mergedIDs == ["c"])
        #expect(try h.ask("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID, groups: [9])).error?.code == .validationFailed)
    }

    @Test(arguments: TestEngine.all)
    func aNoteOnTheSurvivorWhenAsked(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        var change = DedupeSettingsFields()
        change.noteOnSurvivor = true
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))
        let job = try analysed(&h)
        try h.send("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID, groups: [2]))
        #expect(try sent(h, "client.note.add", as: ClientNoteAdd.self).isEmpty, "not before client-service merged")
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "p", mergedIDs: ["q"], mergedAt: Date()))
        let notes = try sent(h, "client.note.add", as: ClientNoteAdd.self)
        #expect(notes.count == 1 && notes[0].clientID == "p")
        #expect(notes.first?.text.contains("q: Анна; +79035550000") == true, "\(notes)")
    }

    @Test(arguments: TestEngine.all)
    func thePhoneLimitGoesToClientService(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        var change = DedupeSettingsFields()
        change.maxPhones = 4
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))
        let job = try analysed(&h)
        try h.send("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID))
        #expect(try sent(h, "client.merge", as: ClientMerge.self).allSatisfy { $0.maxPhones == 4 })
    }
}

/// The automatic merge on its timer (a "minute" of 150 ms here) and the instant check.
@Suite struct AutoMergeTests {
    func sent<T: Decodable>(_ h: DedupeHarness, _ type: String, as: T.Type) throws -> [T] {
        try h.storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == type }
            .map { try JSONCoding.decoder.decode(T.self, from: $0.body) }
    }

    @Test(arguments: TestEngine.all)
    func autoMergeRunsOnItsTimer(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine, definition: DedupeServiceDefinition(minute: .milliseconds(150)))
        try h.send("client.created", card("a", phone: "+79161234567", day: 1))
        try h.send("client.created", card("b", phone: "+79161234567", day: 2))
        try h.tick()
        #expect(try h.runJobs().isEmpty, "auto-merge is off by default")
        var change = DedupeSettingsFields()
        change.autoMerge = true
        change.autoMergeIntervalMinutes = 2
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))
        try h.tick()
        #expect(try h.runJobs().isEmpty, "not before the interval")
        Thread.sleep(forTimeInterval: 0.35)
        try h.tick()
        let progress = try h.runJobs()
        #expect(progress.last?.status == "done")
        let merges = try sent(h, "client.merge", as: ClientMerge.self)
        #expect(merges.count == 1 && merges[0].survivorID == "a" && merges[0].mergedIDs == ["b"])
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "a", mergedIDs: ["b"], mergedAt: Date()))
        let completed = try sent(h, "dedupe.run.completed", as: DedupeRunCompleted.self)
        #expect(completed.count == 1 && completed[0].automatic && completed[0].startedBy == "dedupe-service")
        // The next run waits for the interval after this one ended.
        try h.tick()
        #expect(try h.runJobs().isEmpty)
    }

    @Test(arguments: TestEngine.all)
    func instantCheckMergesANewDuplicate(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        try h.send("client.created", card("a", email: "anna@mail.example", day: 1))
        try h.send("client.created", card("b", email: "anna@mail.example", day: 2))
        #expect(try sent(h, "client.merge", as: ClientMerge.self).isEmpty, "instant check is off by default")
        var change = DedupeSettingsFields()
        change.instantCheck = true
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))
        try h.send("client.created", card("c", email: "ANNA@mail.example", day: 3))
        try h.send("client.created", card("lonely", email: "other@mail.example", day: 4))
        let merges = try sent(h, "client.merge", as: ClientMerge.self)
        #expect(merges.count == 1 && merges[0].survivorID == "a" && Set(merges[0].mergedIDs) == ["b", "c"])
    }
}
