import ArgumentParser
import Foundation
import Messaging
import WorkerKit

/// `crm-bench`: messages per second and latency percentiles of the same work done three ways,
/// side by side in one run (scripts/bench builds it in release mode and starts the broker).
@main
struct CRMBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-bench",
        abstract: "Benchmarks of the services against the real broker.",
        subcommands: [PipelineBench.self, ReliabilityBench.self, ClientsBench.self, ScaleBench.self, BillingBench.self, DedupeBench.self, NotificationsBench.self], defaultSubcommand: PipelineBench.self)
}

/// `crm-bench pipeline` (the default): the broker round trip vs client-service vs Python
/// pika+sqlite3, in one run.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Broker round trip vs client-service vs Python pika+sqlite3, in one run.")

    @Option(help: "Messages in each throughput run.") var count = 100_000
    @Option(help: "Messages in each latency run.") var latencyCount = 5_000
    @Option(help: "Publish rate of the latency runs, messages per second.") var rate = 1_000
    @Flag(help: "Leave out the Python baseline.") var skipPython = false
    @Flag(help: "Only the handler without the broker (for profiling).") var handlerOnly = false
    @Option(help: "Log level of the worker under test.") var logLevel = "warning"

    func run() async throws {
        let setting = try BenchSetting(name: "pipeline", logLevel: logLevel)
        defer { setting.remove() }
        let (vhost, data) = (setting.vhost, setting.dataDirectory)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)

        report("crm-bench: \(count) messages per throughput run, \(latencyCount) at \(rate)/s per latency run, broker \(vhost.url)")
        let scenarios = Scenarios(url: vhost.url, count: count, latencyCount: latencyCount, rate: rate)
        let alone = try scenarios.handlerAlone(dataDirectory: data)
        report(row(alone))
        if handlerOnly {
            // With a PostgreSQL database at hand (scripts/bench scale sets it), the same on PostgreSQL.
            if let url = ProcessInfo.processInfo.environment["CRM_BENCH_DATABASE_URL"] {
                report(row(try scenarios.handlerAlone(dataDirectory: data, databaseURL: url)))
            }
            return
        }
        var results = [try scenarios.brokerRoundTrip()]
        report(row(results[0]))
        results.append(try await scenarios.clientService(dataDirectory: data))
        report(row(results[1]))
        if !skipPython {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("scripts/bench_pika_sqlite.py")
            results.append(try scenarios.pythonPika(script: script, dataDirectory: data))
            report(row(results[2]))
        }
        report("")
        report(header())
        results.forEach { report(row($0)) }
        report(row(alone))
        let (a, b) = (results[0].messagesPerSecond, results[1].messagesPerSecond)
        report(String(format: "ratio (b)/(a) = %.2f  (goal >= 0.50)", b / a))
        if results.count > 2 {
            report(String(format: "ratio (b)/(c) = %.1f  (goal >= 3)", b / results[2].messagesPerSecond))
        }
    }
}

/// A vhost of the benchmark's own when rabbitmqctl is at hand (scripts/bench), so that no
/// leftover queue of another run skews the figures.
struct BenchVhost {
    let url: AMQPURL
    private let ctl: String?

    init(base: AMQPURL) throws {
        ctl = ProcessInfo.processInfo.environment["CRM_RABBITMQCTL"]
        guard let ctl else { url = base; return }
        let name = "bench-\(UUID().uuidString.prefix(8))"
        try Self.run(ctl, ["add_vhost", name])
        try Self.run(ctl, ["set_permissions", "-p", name, base.user, ".*", ".*", ".*"])
        url = base.withVhost(name)
    }

    func delete() {
        if let ctl { try? Self.run(ctl, ["delete_vhost", url.vhost]) }
    }

    private static func run(_ ctl: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ctl)
        process.arguments = ["-q"] + arguments
        try process.run()
        process.waitUntilExit()
    }
}
