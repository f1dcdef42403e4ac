import ArgumentParser
import ClientService
import Contracts
import Foundation
import Messaging
import PostgresClient
import WorkerKit

/// `crm-bench scale` (scripts/bench scale): client-service's order attribution by separate
/// processes of the release binary, with SQLite (one process) and with PostgreSQL at 1, 2 and 3
/// replicas, side by side in one run, with the broker round trip for reference. Each
/// configuration gets a vhost and a database schema of its own; `count` orders are published
/// with confirms as fast as the broker takes them, timed until the last `order.attributed`.
struct ScaleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "client-service on SQLite vs PostgreSQL with 1, 2, 3 replicas, in one run.")

    @Option(help: "Orders per configuration.") var count = 20_000
    @Option(help: "Replica counts to run on PostgreSQL, comma-separated.") var replicas = "1,2,3"
    @Option(help: "Log level of the services.") var logLevel = "warning"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let binDirectory = environment["CRM_BIN_DIR"], let databaseURL = environment["CRM_BENCH_DATABASE_URL"] else {
            throw ValidationError("CRM_BIN_DIR and CRM_BENCH_DATABASE_URL are needed (scripts/bench scale sets them)")
        }
        let setting = try BenchSetting(name: "scale", logLevel: logLevel)
        defer { setting.remove() }
        report("crm-bench scale: \(count) order.placed per configuration, client-service as separate processes")
        var results: [ScenarioResult] = []
        let reference = try Scenarios(url: setting.url, count: count, latencyCount: 1_000, rate: 1_000).brokerRoundTrip()
        results.append(ScenarioResult(name: "broker round trip, no work", messagesPerSecond: reference.messagesPerSecond,
                                      p50: .nan, p99: .nan))
        report(row(results.last!))
        let runner = ScaleRun(binDirectory: URL(fileURLWithPath: binDirectory), base: setting.vhost.url,
                              count: count, logLevel: logLevel)
        results.append(try runner.run(name: "SQLite, 1 process", processes: 1, databaseURL: nil))
        report(row(results.last!))
        for n in replicas.split(separator: ",").compactMap({ Int($0) }) {
            let schema = try ScaleRun.freshSchema(databaseURL)
            defer { schema.drop() }
            results.append(try runner.run(name: "PostgreSQL, \(n) replica\(n == 1 ? "" : "s")", processes: n, databaseURL: schema.url))
            report(row(results.last!))
        }
        report("")
        report(header())
        results.forEach { report(row($0)) }
        if results.count > 2 {
            let sqlite = results[1].messagesPerSecond
            for result in results.dropFirst(2) {
                report(String(format: "%@ / SQLite = %.2f", result.name, result.messagesPerSecond / sqlite))
            }
        }
    }
}

/// One configuration: its vhost, its processes, its publisher and tap.
struct ScaleRun {
    let binDirectory: URL
    let base: AMQPURL
    let count: Int
    let logLevel: String

    /// A new schema of the benchmark's database, and the URL whose connections start in it.
    static func freshSchema(_ url: String) throws -> BenchSchema {
        let schema = "bench_" + UUID().uuidString.prefix(8).lowercased()
        try PostgresConnection(url: url).script("CREATE SCHEMA \(schema)")
        return BenchSchema(name: schema, base: url, url: url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)")
    }

    func run(name: String, processes: Int, databaseURL: String?) throws -> ScenarioResult {
        let vhost = try BenchVhost(base: base)
        defer { vhost.delete() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-scale-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let policy = folder.appendingPathComponent("access.json")
        try JSONCoding.encoder.encode(DevelopmentUsers.policy(withAdmin: vhost.url.user).document).write(to: policy)

        // The topology and the tap first: nothing the services publish is missed.
        var registry = HandlerRegistry()
        ClientServiceDefinition().registerHandlers(&registry)
        let topology = ServiceTopology(service: "client-service", eventKeys: registry.eventTypes,
                                       commandKeys: registry.commandTypes, queryKeys: registry.queryTypes)
        let tap = try AMQPConnection(url: vhost.url)
        try topology.declare(on: tap)
        let tapQueue = try tap.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
        try tap.bindQueue(tapQueue, exchange: Exchanges.events, routingKey: "order.attributed")
        try tap.consume(queue: tapQueue, noAck: true)

        let services = try (1...processes).map { n -> Process in
            let process = Process()
            process.executableURL = binDirectory.appendingPathComponent("client-service")
            var environment = ProcessInfo.processInfo.environment
            environment["AMQP_URL"] = vhost.url.connectionString
            environment["CRM_DATA_DIR"] = folder.appendingPathComponent("replica-\(n)").path
            environment["CRM_DATABASE_URL"] = databaseURL ?? ""
            environment["CRM_ACCESS_FILE"] = policy.path
            environment["CRM_LOG_LEVEL"] = logLevel
            environment["CRM_METRICS_PORT"] = "0"
            process.environment = environment
            try process.run()
            return process
        }
        defer {
            for process in services where process.isRunning { process.terminate() }
            for process in services { process.waitUntilExit() }
        }
        // Every replica consumes before the load starts.
        let deadline = Date().addingTimeInterval(60)
        while try tap.declareQueue(topology.workQueue, passive: true).consumerCount < processes {
            guard Date() < deadline, services.allSatisfy(\.isRunning) else { throw AMQPError.timeout("client-service replicas did not start") }
            usleep(20_000)
        }
        let started = monotonicNanos()
        let publisher = BenchMessages.publish(url: vhost.url, exchange: Exchanges.events, routingKey: "order.placed",
                                              count: count, rate: nil, prefix: "s", buyers: 5_000)
        var latencies: [Double] = []
        var seen = Set<String>()
        while seen.count < count {
            guard let event = try tap.nextDelivery(timeout: .seconds(60)) else { throw AMQPError.timeout("order.attributed") }
            guard seen.insert(event.message.messageID ?? "").inserted else { continue }
            if let ms = latencyMillis(sinceStampIn: event.message.correlationID) { latencies.append(ms) }
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        while publisher.isExecuting { usleep(1_000) }
        return ScenarioResult(name: name, count: count, seconds: seconds, latencies: latencies)
    }
}

/// A schema of the benchmark's own in its PostgreSQL database, dropped after its run so that
/// runs do not pile up tables for autovacuum to visit.
struct BenchSchema {
    let name: String
    let base: String
    /// The database URL whose connections start in this schema.
    let url: String

    func drop() {
        try? PostgresConnection(url: base).script("DROP SCHEMA \(name) CASCADE")
    }
}
