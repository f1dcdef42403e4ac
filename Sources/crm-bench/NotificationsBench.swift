import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crm-bench notifications` (scripts/bench notifications): notification-service's own release
/// binary against the real broker, an SMTP server (aiosmtpd) and webhook receivers on 127.0.0.1.
/// E-mails: `notification.send` → `notification.delivered`, beside the plainest alternatives (the
/// same mails from a plain loop, over a fresh SMTP connection each, over one kept open, and over
/// `--sink-connections` at once: the sink's own ceiling, beside the service's figure).
/// Webhooks: events of store A to a quick receiver while store B's receiver answers in 2 s; each
/// store's p99 from the event to its `notification.delivered`.
struct NotificationsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications", abstract: "E-mails and webhooks through notification-service vs a plain SMTP loop.")

    @Option(help: "E-mails in the throughput run (and in each plain loop).") var emails = 10_000
    @Option(help: "Webhook events of store A (quick receiver).") var webhooks = 10_000
    @Option(help: "Webhook events of store B, whose receiver answers in 2 s, spread over A's.") var slowEvents = 40
    @Option(help: "E-mails of the paced latency run.") var latencyCount = 3_000
    @Option(help: "Publish rate of the paced latency run, per second.") var rate = 500
    @Option(help: "Log level of the service.") var logLevel = "warning"
    @Option(help: "E-mails of the plain loop with a new connection each (a rate; 10,000 would take minutes).")
    var freshCount = 1_000
    @Option(help: "Processes of the SMTP sink (scripts/bench_smtp_sink.py).") var sinkProcesses = 2
    @Option(help: "Connections of the plain loop that measures the sink's ceiling (the service's slots per server).")
    var sinkConnections = 8
    @Flag(help: "The old sink: aiosmtpd in one process (about 700 mails/s here, below the goal).") var aiosmtpd = false

    func run() async throws {
        guard let bin = ProcessInfo.processInfo.environment["CRM_BIN_DIR"] else {
            throw ValidationError("CRM_BIN_DIR is needed (scripts/bench notifications sets it)")
        }
        let setting = try BenchSetting(name: "notifications", logLevel: logLevel)
        defer { setting.remove() }
        let smtp = try BenchServer(script: "bench_smtp_sink.py",
                                   arguments: aiosmtpd ? ["--aiosmtpd"] : ["--processes", "\(sinkProcesses)"])
        // Two partners: store A's receiver answers at once, store B's (another server) in 2 s.
        let quickReceiver = try BenchServer(script: "bench_webhook_receiver.py")
        let slowReceiver = try BenchServer(script: "bench_webhook_receiver.py")
        defer { smtp.stop(); quickReceiver.stop(); slowReceiver.stop() }
        report("crm-bench notifications: \(emails) e-mails, \(webhooks) + \(slowEvents) webhooks, SMTP sink on port \(smtp.port) ("
               + (aiosmtpd ? "aiosmtpd" : "\(sinkProcesses) processes") + ")")

        var rows: [ScenarioResult] = []
        // A new connection each costs ~45 ms here: a sample is enough for its rate.
        let fresh = try PlainSMTPLoop(port: smtp.port, reuse: false).run(count: min(emails, freshCount))
        report(row(fresh)); rows.append(fresh)
        let reused = try PlainSMTPLoop(port: smtp.port, reuse: true).run(count: emails)
        report(row(reused)); rows.append(reused)
        let ceiling = try PlainSMTPLoop(port: smtp.port, reuse: true, connections: sinkConnections).run(count: emails)
        report(row(ceiling)); rows.append(ceiling)

        let service = try NotificationServiceProcess(binDirectory: URL(fileURLWithPath: bin), url: setting.url,
                                                     dataDirectory: setting.dataDirectory, logLevel: logLevel)
        defer { service.stop() }
        let run = try NotificationsRun(url: setting.url, smtpPort: smtp.port, quickPort: quickReceiver.port,
                                       slowPort: slowReceiver.port)
        let cpuBefore = service.cpuSeconds()
        let burst = try run.emails(count: emails, rate: nil, prefix: "e")
        let cpuPerMail = (service.cpuSeconds() - cpuBefore) * 1000 / Double(emails)
        report(row(burst)); rows.append(burst)
        let paced = try run.emails(count: latencyCount, rate: rate, prefix: "p")
        report(row(paced)); rows.append(paced)
        let (quick, slow) = try run.webhooks(count: webhooks, slowCount: slowEvents)
        report(row(quick)); rows.append(quick)
        report(row(slow)); rows.append(slow)
        let (mails, connections) = try smtp.counts()

        report("")
        report(header())
        rows.forEach { report(row($0)) }
        report(String(format: "service / plain loop, fresh connection each = %.2f", burst.messagesPerSecond / fresh.messagesPerSecond))
        report(String(format: "service / plain loop, one connection       = %.2f", burst.messagesPerSecond / reused.messagesPerSecond))
        report(String(format: "service / plain loop, %d connections        = %.2f (the sink's ceiling: %.0f mails/s)", sinkConnections,
                      burst.messagesPerSecond / ceiling.messagesPerSecond, ceiling.messagesPerSecond))
        report(String(format: "the service's CPU time per e-mail (user + system, all its threads): %.3f ms", cpuPerMail))
        report(String(format: "e-mails/s through the service: %.0f (goal >= 1000: %@)", burst.messagesPerSecond,
                      burst.messagesPerSecond >= 1000 ? "met" : "NOT met"))
        report(String(format: "store A's webhook p99 %.0f ms while store B's receiver answers in 2 s (B's p99 %.0f ms)", quick.p99, slow.p99))
        report("the SMTP sink took \(mails) mails over \(connections) connections")
    }
}

/// The same mails from a plain loop, one after another: our SMTPClient (libcurl) without broker,
/// database or service; over a fresh connection each (`reuse: false`) or over one kept open; with
/// `connections` > 1, that many such loops at once, each over its own connection (the sink's ceiling).
struct PlainSMTPLoop {
    let port: Int
    let reuse: Bool
    var connections = 1

    func run(count: Int) throws -> ScenarioResult {
        let shares = (0..<connections).map { count / connections + ($0 < count % connections ? 1 : 0) }
        let results = LoopResults()
        let started = monotonicNanos()
        // Threads, not concurrentPerform: on Linux that runs as many at once as there are cores.
        let loops = (0..<connections).map { n in PublisherThread {
            let client = SMTPBenchClient(reuse: reuse)
            var latencies: [Double] = []
            latencies.reserveCapacity(shares[n])
            let outcome = Result { () throws -> [Double] in
                for i in 0..<shares[n] {
                    let sent = monotonicNanos()
                    try client.send(n * count + i, port: port)
                    latencies.append(Double(monotonicNanos() - sent) / 1e6)
                }
                return latencies
            }
            results.add(outcome)
        } }
        loops.forEach { $0.join() }
        let seconds = Double(monotonicNanos() - started) / 1e9
        let latencies = try results.all.flatMap { try $0.get() }
        let name = connections > 1 ? "plain loop, \(connections) SMTP connections"
            : reuse ? "plain loop, one SMTP connection" : "plain loop, new connection each"
        return ScenarioResult(name: name, count: count, seconds: seconds, latencies: latencies)
    }
}

/// What the loops of `PlainSMTPLoop` measured, each from its own thread.
private final class LoopResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Double], any Error>] = []

    func add(_ result: Result<[Double], any Error>) { lock.withLock { results.append(result) } }
    var all: [Result<[Double], any Error>] { lock.withLock { results } }
}
