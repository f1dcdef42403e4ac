import Contracts
import CRMTestSupport
@testable import DedupeService
import Foundation
import Testing
@testable import WorkerKit

/// Cancelling an analysis while it runs: the run looks at its job between steps, in transactions
/// of its own, so the cancel commits meanwhile and the run stops at its next step.
@Suite struct CancelTests {
    /// What the step hook needs: it runs inside the analysis, with the harness set up after it.
    final class Hook: @unchecked Sendable {
        var harness: DedupeHarness?
        var jobID = ""
        var phases: [String] = []
        var cancelAt = "matching"
    }

    @Test(arguments: TestEngine.all)
    func aRunningAnalysisStopsAtItsNextStep(engine: TestEngine) throws {
        let hook = Hook()
        let definition = DedupeServiceDefinition(afterAnalysisStep: { phase in
            hook.phases.append(phase)
            guard phase == hook.cancelAt, var h = hook.harness else { return }
            let cancelled = try h.result("dedupe.job.cancel", DedupeJobRef(storeID: "s1", jobID: hook.jobID), as: DedupeJobView.self,
                                         user: DevelopmentUsers.operatorName)
            #expect(cancelled.status == "cancelled")
        })
        var h = try DedupeHarness(engine: engine, definition: definition)
        hook.harness = h
        try h.send("client.created", card("a", phone: "+79161234567", day: 1))
        try h.send("client.created", card("b", phone: "+79161234567", day: 2))
        let job = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self, user: DevelopmentUsers.operatorName)
        hook.jobID = job.jobID
        let progress = try h.runJobs()

        #expect(hook.phases == ["loading", "matching"], "it stopped at the step after the cancel")
        #expect(progress.map(\.status) == ["queued", "running", "running", "cancelled"], "\(progress)")
        #expect(progress.dropLast().last?.phase == "loading")
        let ended = try h.result("dedupe.job.get", DedupeJobRef(storeID: "s1", jobID: job.jobID), as: DedupeJobView.self)
        #expect(ended.status == "cancelled" && ended.finishedAt != nil && ended.groups == nil)
        #expect(try h.count("SELECT COUNT(*) FROM dedupe_group") == 0, "no report")
        #expect(try h.ask("dedupe.report", DedupeReportQuery(storeID: "s1", jobID: job.jobID)).error?.code == .conflict)

        // The next analysis is not held back by the cancelled one, and runs to its end.
        hook.cancelAt = "never"
        let next = try h.result("dedupe.analyze", DedupeAnalyze(storeID: "s1"), as: DedupeJobView.self)
        hook.jobID = next.jobID
        try h.runJobs()
        #expect(try h.result("dedupe.job.get", DedupeJobRef(storeID: "s1", jobID: next.jobID), as: DedupeJobView.self).groups == 1)
        #expect(hook.phases.suffix(5) == ["loading", "matching", "grouping", "suggestions", "writing"])
    }
}
