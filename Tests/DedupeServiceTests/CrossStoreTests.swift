import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Testing
@testable import WorkerKit

/// Cross-store groups: with `cross_store` on an account-wide analysis reports a group across the
/// stores whole, and a merge run sends client-service only the members in its own store that that
/// store's values tie (client-service merges cards of one store); a group with one card there is skipped.
@Suite struct CrossStoreTests {
    @Test(arguments: TestEngine.all)
    func aRunMergesOnlyInsideItsOwnStore(engine: TestEngine) throws {
        var h = try DedupeHarness(engine: engine)
        for (store, version) in [("s1", 1), ("s2", 1)] {
            var card = StoreCard.defaults(storeID: store)
            (card.accountID, card.registered, card.version) = ("acc", true, version)
            try h.send("store.updated", card)
        }
        try h.send("client.created", card("a", store: "s1", phone: "+79161234567", day: 1))
        try h.send("client.created", card("b", store: "s1", phone: "+79161234567", day: 2))
        try h.send("client.created", card("c", store: "s2", phone: "+79161234567", day: 3))
        try h.send("client.created", card("d", store: "s1", email: "d@mail.example", day: 4))
        try h.send("client.created", card("e", store: "s2", email: "d@mail.example", day: 5))
        var change = DedupeSettingsFields()
        change.crossStore = true
        try h.send("dedupe.settings.update", DedupeSettingsUpdate(storeID: "s1", fields: change))

        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1", accountWide: true), as: DedupeJobView.self)
        try h.runJobs()
        let report = try h.result("dedupe.report", DedupeReportQuery(storeID: "s1", jobID: job.jobID), as: DedupeReportResult.self)
        #expect(report.groups.map { $0.clients.map(\.clientID) } == [["a", "b", "c"], ["d", "e"]])
        #expect(report.groups.allSatisfy { $0.crossStore && $0.skipped == nil })

        let run = try h.result("dedupe.merge", DedupeMerge(storeID: "s1", jobID: job.jobID), as: DedupeRunView.self)
        #expect(run.groupsSent == 1 && run.groupsSkipped == 1 && run.groupsReanalysed == 0)
        let merges = try h.storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == "client.merge" }
            .map { try JSONCoding.decoder.decode(ClientMerge.self, from: $0.body) }
        #expect(merges == [ClientMerge(storeID: "s1", survivorID: "a", mergedIDs: ["b"])])
    }
}
