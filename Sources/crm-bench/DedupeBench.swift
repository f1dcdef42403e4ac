import ArgumentParser
import DedupeService
import Foundation

/// `crm-bench dedupe` (scripts/bench dedupe): dedupe-service's analysis engine over synthetic
/// clients with planted duplicates (no broker, no database: the engine alone, as the job runs it
/// over the index it has read). Reports the seconds of indexing (reading phones and e-mails into
/// their compared form) and of the analysis, the peak resident memory of the process
/// (getrusage), and precision and recall of the groups and of the suggestions against the truth.
struct DedupeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe", abstract: "The duplicate analysis over synthetic clients with a known truth.")

    @Option(help: "Clients to generate.") var count = 1_000_000
    @Option(help: "Share of clients in planted duplicate groups.") var planted = 0.05
    @Option(help: "Clients sharing only an excluded value.") var excluded = 2_000
    @Option(help: "Near-miss pairs (suggestions' truth).") var nearMisses = 2_000
    @Flag(help: "Leave the suggestions out.") var noSuggestions = false

    func run() throws {
        report("crm-bench dedupe: \(count) clients, \(Int(Double(count) * planted)) in planted groups, "
               + "\(excluded) sharing an excluded value, \(nearMisses) near-miss pairs")
        var clock = ContinuousClock.now
        let data = SyntheticClients(count: count, plantedShare: planted, excluded: excluded, nearMisses: nearMisses)
        report(String(format: "generated in %.2f s", seconds(since: clock)))
        clock = ContinuousClock.now
        let records = data.records()
        let indexing = seconds(since: clock)
        report(String(format: "indexed (phones to E.164, e-mail keys) in %.2f s", indexing))
        clock = ContinuousClock.now
        let analysis = try DedupeEngine(rules: SyntheticClients.rules).analyze(records, suggestions: !noSuggestions)
        let analysing = seconds(since: clock)
        let score = data.score(analysis)
        let peak = peakMemoryMB()
        report(String(format: "analysis: %.2f s, %d groups (%d skipped), %d suggestions", analysing,
                      analysis.groups.count, analysis.groups.filter { $0.skipReason != nil }.count, analysis.suggestions.count))
        report(String(format: "peak memory (getrusage maxrss): %.0f MB", peak))
        report(String(format: "groups: precision %.4f, recall %.4f (%d of %d planted groups found exactly)",
                      score.precision, score.recall, score.exactGroupsFound, score.plantedGroups))
        report("values on an exclusion list joining a group: \(score.excludedJoins)")
        if !noSuggestions {
            report(String(format: "suggestions: precision %.4f, recall %.4f (%d true of %d; %d planted)", score.suggestionPrecision,
                          score.suggestionRecall, score.suggestionsTrue, score.suggestions, score.nearMissPairs))
        }
        let goals = analysing < 20 && peak < 1536 && score.recall == 1 && score.excludedJoins == 0
            && (noSuggestions || score.suggestionPrecision >= 0.9)
        report("goals (< 20 s, < 1.5 GB, every planted group found, no excluded join, suggestions precision >= 0.9): "
               + (goals ? "met" : "NOT met"))
        if !goals { throw ExitCode(1) }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The process's peak resident set, in MB (Linux reports `ru_maxrss` in kilobytes).
    private func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
