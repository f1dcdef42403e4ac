import ArgumentParser
import BillingService
import Contracts
import Foundation
import Messaging
import SQLStore
import Synchronization
import WorkerKit

/// `crm-bench billing`: 100,000 expense and payment commands over 10,000 accounts through
/// billing-service and the broker, then `billing.account.get` round trips at that size; side by
/// side with the same commands through the handlers alone (no broker), and with the plainest
/// alternative: one row per movement in a bare SQLite table, the balance a SUM.
struct BillingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Expense and payment commands per second and billing.account.get latency of billing-service.")

    @Option(help: "Expense and payment commands in all.") var messages = 100_000
    @Option(help: "Accounts they are spread over.") var accounts = 10_000
    @Option(help: "billing.account.get requests, one at a time.") var queries = 2_000
    @Option(help: "PostgreSQL database for billing-service's tables (default: CRM_BENCH_DATABASE_URL; none: SQLite).")
    var databaseURL: String? = ProcessInfo.processInfo.environment["CRM_BENCH_DATABASE_URL"]
    @Flag(help: "Only the handlers without the broker (for profiling).") var handlerOnly = false

    func run() async throws {
        let setting = try BenchSetting(name: "billing")
        defer { setting.remove() }
        let engine = databaseURL == nil ? "SQLite" : "PostgreSQL"
        let alone = try BillingHandlerAlone.run(messages: messages, accounts: accounts,
                                                dataDirectory: setting.dataDirectory, databaseURL: databaseURL)
        report(row(alone))
        if handlerOnly { return }

        let schema = try databaseURL.map(ScaleRun.freshSchema)
        defer { schema?.drop() }
        let service = try await BenchWorker.start(BillingServiceDefinition(), url: setting.url, dataDirectory: setting.dataDirectory,
                                                  databaseURL: schema?.url)
        let worker = service.worker
        try BillingBenchPlan.prepare(worker.storage, accounts: accounts)
        let outgoing = try BillingBenchPlan.messages(messages, accounts: accounts, user: setting.url.user)
        let before = try worker.storage.read { db in try db.value("SELECT COUNT(*) FROM inbox", as: Int.self) ?? 0 }

        let started = monotonicNanos()
        // When the publisher is done tells whether it or the service set the pace: far ahead of
        // the service's end, a backlog built up and the service was the bottleneck.
        let published = PublishedAt()
        let publisher = Thread {
            BillingBenchPlan.publish(url: setting.url, messages: outgoing)
            published.mark()
        }
        publisher.start()
        try await BillingBenchPlan.awaitInbox(worker.storage, count: before + messages, last: "b-\(messages - 1)")
        let seconds = Double(monotonicNanos() - started) / 1e9
        if let done = published.nanos {
            report(String(format: "publisher: all %d confirmed after %.1f s of the service's %.1f s", messages,
                          Double(done - started) / 1e9, seconds))
        }
        let failed = try worker.storage.read { db in
            try db.value("SELECT COUNT(*) FROM inbox WHERE outcome <> 'handled'", as: Int.self) ?? 0
        }
        let service_ = ScenarioResult(name: "(a) billing-service over the broker", count: messages, seconds: seconds, latencies: [])
        report(String(format: "billing-service on %@: %d expense/payment commands over %d accounts in %.1f s: %.0f msg/s (%d not handled)",
                      engine, messages, accounts, seconds, service_.messagesPerSecond, failed))

        let client = try RequestClient(url: setting.url, appID: "crm-bench")
        var latencies: [Double] = []
        for i in 0..<queries {
            let body = try JSONCoding.encoder.encode(BillingAccountRef(storeID: "bench-store", accountID: "acc-\(i * 7919 % accounts)"))
            let sent = monotonicNanos()
            let reply = try client.request(type: "billing.account.get", body: body)
            latencies.append(Double(monotonicNanos() - sent) / 1e6)
            guard (try JSONCoding.decoder.decode(Reply.self, from: reply.body)).ok else { throw AMQPError.timeout("a failed reply") }
        }
        latencies.sort()
        let get = ScenarioResult(name: "(a) billing.account.get over broker", messagesPerSecond: .nan,
                                 p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))
        await service.stop()

        let plain = try BillingBenchPlan.plainSQLite(directory: setting.dataDirectory, messages: messages, accounts: accounts,
                                                     queries: queries)
        report("")
        report("billing-service's tables on \(engine); \(messages) commands over \(accounts) accounts; load \(loadAverage())")
        report(header())
        report(row(service_))
        report(row(get))
        report(row(alone))
        plain.forEach { report(row($0)) }
        report(String(format: "goal: >= 5000 msg/s (%@), account.get p99 < 5 ms (%@)",
                      service_.messagesPerSecond >= 5_000 ? "met" : "missed", get.p99 < 5 ? "met" : "missed"))
    }

    /// The 1-minute load average: figures taken while other work runs are not a quiet machine's.
    func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).map { String($0.split(separator: " ").first ?? "?") } ?? "?"
    }
}

/// When the publisher thread had every message confirmed.
final class PublishedAt: Sendable {
    private let at = Mutex<UInt64?>(nil)
    func mark() { at.withLock { $0 = monotonicNanos() } }
    var nanos: UInt64? { at.withLock { $0 } }
}
