import Contracts
import GRDB
import SQLStore
import WorkerKit

/// dedupe-service: finds duplicate clients over its own index of the cards and reports them with
/// their reasons. The runtime adds the `dedupe-service.status` query, the inbox and outbox, and
/// the broker topology.
public struct DedupeServiceDefinition: WorkerDefinition {
    let autoMerge: AutoMerge
    let tickEvery: Duration
    var analysis: AnalysisRun

    /// `minute`: the unit of `auto_merge_interval_minutes`, and `tickEvery`: how often the timer
    /// looks at the stores (both shorter in tests); queued analyses are looked for at least every
    /// second. `analysisPause`: a pause after each step of an analysis (tests cancel one running).
    public init(minute: Duration = .seconds(60), tickEvery: Duration = .seconds(5), analysisPause: Duration = .zero) {
        autoMerge = AutoMerge(minute: minute)
        self.tickEvery = tickEvery
        analysis = AnalysisRun(pause: analysisPause)
    }

    /// With a hook called after each step of an analysis (unit tests).
    init(afterAnalysisStep: @escaping @Sendable (String) throws -> Void) {
        self.init()
        analysis.afterStep = afterAnalysisStep
    }

    public var timers: [WorkerTimer] {
        let (autoMerge, analysis) = (autoMerge, analysis)
        return [WorkerTimer(name: "auto-merge", every: tickEvery) { db, context in try autoMerge.tick(db, context) },
                WorkerTimer(name: "analysis", every: min(tickEvery, .seconds(1))) { environment in try analysis.work(environment) },
                WorkerTimer(name: "index-rebuild", every: tickEvery) { environment in try IndexRebuild.work(environment) }]
    }

    public var name: ServiceName { .dedupe }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        DedupeMigrations.sqlite(&migrator)
    }

    public var postgresMigrations: [SQLMigrationStep] { DedupeMigrations.postgres }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        // The index, from client-service's events.
        registry.event("client.created", ClientChanged.self) { db, event, context in
            try ClientIndex.changed(db, event, context)
            try AutoMerge.instantCheck(db, event, context)
        }
        registry.event("client.updated", ClientChanged.self, handle: ClientIndex.changed)
        registry.event("client.deleted", ClientLifecycle.self) { db, event, _ in try ClientIndex.lifecycle(db, event, deleted: true) }
        registry.event("client.restored", ClientLifecycle.self) { db, event, _ in try ClientIndex.lifecycle(db, event, deleted: false) }
        registry.event("client.merged", ClientMerged.self) { db, event, context in
            try ClientIndex.merged(db, event, context)
            try MergeRuns.merged(db, event, context)
        }
        registry.event("client.unmerged", ClientUnmerged.self) { db, event, context in
            try ClientIndex.unmerged(db, event, context)
            try MergeLog.unmerged(db, event, context)
        }
        registry.event("client.merge_refused", ClientMergeRefused.self, handle: MergeRefusals.refused)
        registry.event("client.tie_recorded", ClientTieRecorded.self, handle: ClientIndex.tie)
        registry.event("store.updated", StoreCard.self, handle: StoreCopy.updated)
        // Settings, analyses and their reports.
        registry.query("dedupe.settings.get", DedupeSettingsGet.self, handle: DedupeSettingsHandlers.get)
        registry.command("dedupe.settings.update", DedupeSettingsUpdate.self, handle: DedupeSettingsHandlers.update)
        registry.command("dedupe.analyze", DedupeAnalyze.self, handle: AnalysisJobs.analyze)
        registry.command("dedupe.index.rebuild", DedupeIndexRebuild.self, handle: IndexRebuild.request)
        registry.query("dedupe.job.get", DedupeJobRef.self, handle: AnalysisJobs.get)
        registry.command("dedupe.job.cancel", DedupeJobRef.self, handle: AnalysisJobs.cancel)
        registry.query("dedupe.report", DedupeReportQuery.self, handle: GroupReport.page)
        // Merge runs, their log, and undoing them.
        registry.command("dedupe.merge", DedupeMerge.self, handle: MergeRuns.merge)
        registry.query("dedupe.log", DedupeLogQuery.self, handle: MergeLog.page)
        registry.command("dedupe.unmerge", DedupeUnmerge.self, handle: MergeLog.unmerge)
        // Its own progress events ran its analyses before they became timer work: a queue bound by
        // that version still receives them, and they are only news now (never dead letters).
        registry.event("dedupe.job.progress", DedupeJobProgress.self) { _, _, _ in }
    }
}
