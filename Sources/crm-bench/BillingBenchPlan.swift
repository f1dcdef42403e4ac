import Contracts
import Foundation
import GRDB
import Messaging
import SQLStore

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

    /// All the messages, encoded before the clock starts: the load generator shares the two cores
    /// with the service, and JSONEncoder's cost is not the service's.
    static func messages(_ count: Int, accounts: Int, user: String) throws -> [(String, AMQPMessage)] {
        try (0..<count).map { try message($0, accounts: accounts, user: user) }
    }

    /// Publishes with confirms waited for once per 1,000 messages.
    static func publish(url: AMQPURL, messages: [(String, AMQPMessage)]) {
        do {
            let connection = try AMQPConnection(url: url)
            try connection.enableConfirms()
            for (n, (type, message)) in messages.enumerated() {
                try connection.publish(exchange: Exchanges.commands, routingKey: type, message: message)
                if n % 1_000 == 999 { try connection.waitForConfirms() }
            }
            try connection.waitForConfirms()
            connection.close()
        } catch {
            FileHandle.standardError.write(Data("publisher: \(error)\n".utf8))
        }
    }

    /// Waits until the inbox holds `count` rows. A COUNT(*) of a 100,000-row inbox every 20 ms
    /// would take CPU from the service it measures: the last message's row is looked up by its
    /// key instead, and only once it is there are the rows counted.
    static func awaitInbox(_ storage: SQLStorage, count: Int, last: String) async throws {
        while try storage.read({ db in try db.value("SELECT 1 FROM inbox WHERE message_id = ?", [last], as: Int.self) }) == nil {
            try await Task.sleep(for: .milliseconds(20))
        }
        while try storage.read({ db in try db.value("SELECT COUNT(*) FROM inbox", as: Int.self) ?? 0 }) < count {
            try await Task.sleep(for: .milliseconds(20))
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
