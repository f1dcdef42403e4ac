import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crm-bench notifications` (scripts/bench notifications): notification-service's own release
/// binary against the real broker, an SMTP server (aiosmtpd) and webhook receivers on 127.0.0.1.
/// E-mails: `notification.send` → `notification.delivered`, beside the plainest alternatives (the
/// same mails from a plain loop, over a fresh SMTP connection each, and over one kept open).
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

    func run() async throws {
        guard let bin = ProcessInfo.processInfo.environment["CRM_BIN_DIR"] else {
            throw ValidationError("CRM_BIN_DIR is needed (scripts/bench notifications sets it)")
        }
        let setting = try BenchSetting(name: "notifications", logLevel: logLevel)
        defer { setting.remove() }
        let smtp = try BenchServer(script: "bench_smtp_sink.py")
        // Two partners: store A's receiver answers at once, store B's (another server) in 2 s.
        let quickReceiver = try BenchServer(script: "bench_webhook_receiver.py")
        let slowReceiver = try BenchServer(script: "bench_webhook_receiver.py")
        defer { smtp.stop(); quickReceiver.stop(); slowReceiver.stop() }
        report("crm-bench notifications: \(emails) e-mails, \(webhooks) + \(slowEvents) webhooks, SMTP sink on port \(smtp.port)")

        var rows: [ScenarioResult] = []
        let fresh = try PlainSMTPLoop(port: smtp.port, reuse: false).run(count: emails)
        report(row(fresh)); rows.append(fresh)
        let reused = try PlainSMTPLoop(port: smtp.port, reuse: true).run(count: emails)
        report(row(reused)); rows.append(reused)

        let service = try NotificationServiceProcess(binDirectory: URL(fileURLWithPath: bin), url: setting.url,
                                                     dataDirectory: setting.dataDirectory, logLevel: logLevel)
        defer { service.stop() }
        let run = try NotificationsRun(url: setting.url, smtpPort: smtp.port, quickPort: quickReceiver.port,
                                       slowPort: slowReceiver.port)
        let burst = try run.emails(count: emails, rate: nil, prefix: "e")
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
        report(String(format: "e-mails/s through the service: %.0f (goal >= 1000: %@)", burst.messagesPerSecond,
                      burst.messagesPerSecond >= 1000 ? "met" : "NOT met"))
        report(String(format: "store A's webhook p99 %.0f ms while store B's receiver answers in 2 s (B's p99 %.0f ms)", quick.p99, slow.p99))
        report("the SMTP sink took \(mails) mails over \(connections) connections")
    }
}

/// The same mails from a plain loop, one after another: our SMTPClient (libcurl) without broker,
/// database or service; over a fresh connection each (`reuse: false`) or over one kept open.
struct PlainSMTPLoop {
    let port: Int
    let reuse: Bool

    func run(count: Int) throws -> ScenarioResult {
        let client = SMTPBenchClient(reuse: reuse)
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let started = monotonicNanos()
        for i in 0..<count {
            let sent = monotonicNanos()
            try client.send(i, port: port)
            latencies.append(Double(monotonicNanos() - sent) / 1e6)
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        return ScenarioResult(name: reuse ? "plain loop, one SMTP connection" : "plain loop, new connection each",
                              count: count, seconds: seconds, latencies: latencies)
    }
}
