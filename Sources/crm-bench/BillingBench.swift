import ArgumentParser
import BillingService
import Contracts
import Foundation
import GRDB
import Messaging
import SQLStore
import WorkerKit

/// `crm-bench billing`: 100,000 expense and payment commands over 10,000 accounts through
/// billing-service and the broker, then `billing.account.get` round trips at that size; side by
/// side with the plainest alternative: one row per movement in a bare SQLite table, the balance a SUM.
struct BillingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "billing", abstract: "Expense and payment commands per second and billing.account.get latency of billing-service.")

    @Option(help: "Expense and payment commands in all.") var messages = 100_000
    @Option(help: "Accounts they are spread over.") var accounts = 10_000
    @Option(help: "billing.account.get requests, one at a time.") var queries = 2_000

    func run() async throws {
        let setting = try BenchSetting(name: "billing")
        defer { setting.remove() }
        let service = try await BenchWorker.start(BillingServiceDefinition(), url: setting.url, dataDirectory: setting.dataDirectory)
        let worker = service.worker
        try BillingBenchPlan.prepare(worker.storage, accounts: accounts)
        let before = try worker.storage.read { db in try db.value("SELECT COUNT(*) FROM inbox", as: Int.self) ?? 0 }

        let started = monotonicNanos()
        let publisher = Thread { BillingBenchPlan.publish(url: setting.url, messages: messages, accounts: accounts) }
        publisher.start()
        while try worker.storage.read({ db in try db.value("SELECT COUNT(*) FROM inbox", as: Int.self) ?? 0 }) < before + messages {
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        let failed = try worker.storage.read { db in
            try db.value("SELECT COUNT(*) FROM inbox WHERE outcome <> 'handled'", as: Int.self) ?? 0
        }
        let service_ = ScenarioResult(name: "(a) billing-service over the broker", count: messages, seconds: seconds, latencies: [])
        report(String(format: "billing-service: %d expense/payment commands over %d accounts in %.1f s: %.0f msg/s (%d not handled)",
                      messages, accounts, seconds, service_.messagesPerSecond, failed))

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
        report(header())
        report(row(service_))
        report(row(get))
        plain.forEach { report(row($0)) }
        report(String(format: "goal: >= 5000 msg/s (%@), account.get p99 < 5 ms (%@)",
                      service_.messagesPerSecond >= 5_000 ? "met" : "missed", get.p99 < 5 ? "met" : "missed"))
    }
}

/// The benchmark's accounts and messages. Per account, ten rounds: expense, payment for it,
/// expense, credit of that payment, and so on (5 expenses, 3 payments made, 2 credited); one
/// account in ten is prepaid with no credit, so it blocks and unblocks on the way.
enum BillingBenchPlan {
    static func prepare(_ storage: SQLStorage, accounts: Int) throws {
        let now = Date()
        try storage.write { db in
            try db.execute("""
                INSERT INTO billing_provider (store_id, provider_id, name, currency, is_default, created_at, updated_at, updated_by)
                VALUES ('bench-store', 'hosting', 'Hosting', 'RUB', TRUE, ?, ?, 'crm-bench')
                """, [now, now])
            for i in 0..<accounts {
                try db.execute("""
                    INSERT INTO billing_account (account_id, store_id, client_id, home_client_id, provider_id, currency, postpay,
                        created_at, created_by, updated_at) VALUES (?, 'bench-store', ?, ?, 'hosting', 'RUB', ?, ?, 'crm-bench', ?)
                    """, ["acc-\(i)", "client-\(i)", "client-\(i)", i % 10 != 0, now, now])
            }
        }
    }

    /// Message `n`: account `n % accounts`, round `n / accounts`.
    static func message(_ n: Int, accounts: Int, user: String) throws -> (String, AMQPMessage) {
        let account = n % accounts
        let round = n / accounts
        let (type, body): (String, Data)
        switch round % 4 {
        case 0, 2:
            (type, body) = ("billing.expense.create", try JSONCoding.encoder.encode(BillingExpenseCreate(
                storeID: "bench-store", accountID: "acc-\(account)", expenseID: "e-\(account)-\(round)",
                amount: Money(amount: Int64(1_000 + n % 9_000), currency: "RUB"), productType: "vps", date: Date())))
        case 1:
            (type, body) = ("billing.payment.create", try JSONCoding.encoder.encode(BillingPaymentCreate(
                storeID: "bench-store", accountID: "acc-\(account)", paymentID: "p-\(account)-\(round)",
                expenseIDs: ["e-\(account)-\(round - 1)"])))
        default:
            (type, body) = ("billing.payment.credit", try JSONCoding.encoder.encode(BillingPaymentRef(
                storeID: "bench-store", paymentID: "p-\(account)-\(round - 2)")))
        }
        return (type, AMQPMessage(body: body, messageID: "b-\(n)", type: type, appID: "crm-bench", userID: user, timestamp: Date()))
    }

    static func publish(url: AMQPURL, messages: Int, accounts: Int) {
        do {
            let connection = try AMQPConnection(url: url)
            try connection.enableConfirms()
            for n in 0..<messages {
                let (type, message) = try message(n, accounts: accounts, user: url.user)
                try connection.publish(exchange: Exchanges.commands, routingKey: type, message: message)
                if n % 1_000 == 999 { try connection.waitForConfirms() }
            }
            try connection.waitForConfirms()
            connection.close()
        } catch {
            FileHandle.standardError.write(Data("publisher: \(error)\n".utf8))
        }
    }

    /// The plainest alternative: the same movements as rows of one bare table (no broker, no
    /// inbox, no expenses, payments or blocking), 200 to a transaction; the balance a SUM.
    static func plainSQLite(directory: URL, messages: Int, accounts: Int, queries: Int) throws -> [ScenarioResult] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: directory.appendingPathComponent("plain.sqlite").path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try db.execute(sql: "CREATE TABLE movement (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, amount INTEGER NOT NULL)")
            try db.execute(sql: "CREATE INDEX movement_on_account ON movement (account_id)")
        }
        let started = monotonicNanos()
        for batch in stride(from: 0, to: messages, by: 200) {
            try queue.write { db in
                for n in batch..<min(batch + 200, messages) {
                    let round = n / accounts
                    let amount = round % 4 == 1 ? 0 : (round % 2 == 0 ? -Int64(1_000 + n % 9_000) : Int64(1_000 + n % 9_000))
                    try db.execute(sql: "INSERT INTO movement (account_id, amount) VALUES (?, ?)", arguments: ["acc-\(n % accounts)", amount])
                }
            }
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        var latencies: [Double] = []
        for i in 0..<queries {
            let sent = monotonicNanos()
            _ = try queue.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM movement WHERE account_id = ?",
                                   arguments: ["acc-\(i * 7919 % accounts)"])
            }
            latencies.append(Double(monotonicNanos() - sent) / 1e6)
        }
        latencies.sort()
        return [ScenarioResult(name: "(b) bare SQLite table, no broker", count: messages, seconds: seconds, latencies: []),
                ScenarioResult(name: "(b) SUM of one account, no broker", messagesPerSecond: .nan,
                               p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))]
    }
}
