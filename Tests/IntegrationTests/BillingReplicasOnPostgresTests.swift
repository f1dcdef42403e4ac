import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// Two billing-service replicas on one PostgreSQL database, competing for its queue: while
    /// operators' expenses and payments flow for 16 prepaid accounts (four threads, one account's
    /// commands in order), shop orders of the same clients arrive, each `order.attributed` and
    /// `order.status_changed` (paid) published twice, so that an order's events and an account's
    /// changes meet on both replicas at once. Every movement is counted once, every balance is its
    /// ledger's sum, and `billing.account.blocked`/`unblocked` come once per transition, alternating.
    @Suite(.enabled(if: TestDatabase.engine == .postgres, "replicas share PostgreSQL (scripts/test's CRM_TEST_ENGINE=postgres run)"))
    struct BillingReplicasOnPostgresTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }
        static let accounts = 16, rounds = 4, ordersPerClient = 2

        @Test func twoReplicasCountEveryMovementOnceAndBlockOncePerTransition() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-billing-replicas-\(UUID().uuidString)")
            let shared = try #require(try TestDatabase.url(for: root.appendingPathComponent("billing")))
            let replicas = try (1...2).map { n in
                try RunningWorker(BillingServiceDefinition(overdueEvery: .milliseconds(200)), url: url,
                                  dataDirectory: root.appendingPathComponent("billing-\(n)")) { $0.databaseURL = shared }
            }
            do {
                for replica in replicas { try replica.waitUntilReady() }
                try await Self.run(url, replicas)
            } catch {
                for replica in replicas { await replica.stop() }
                throw error
            }
            for replica in replicas { await replica.stop() }
        }

        static func run(_ url: AMQPURL, _ replicas: [RunningWorker]) async throws {
            let billing = replicas[0]
            let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
            let client = try RequestClient(url: url, appID: "test")
            _ = try client.result(of: "billing.provider.upsert", body: body(BillingProviderUpsert(
                storeID: "s1", providerID: "hosting", name: "Хостинг", currency: "RUB", isDefault: true)), as: BillingProvider.self)
            let cards = try ((0..<accounts).map { "c\($0)" } + ["c-late"]).map { id in
                AMQPMessage(body: body(try clientChangedEvent(id: id, providers: ["hosting"])), messageID: "card-\(id)",
                            type: "client.updated", userID: url.user)
            }
            try ConfirmedPublisher(url: url).publish(cards)
            #expect(try eventually(timeout: .seconds(20)) { try billing.count("SELECT COUNT(*) FROM billing_client") == accounts + 1 })
            for i in 0..<accounts {
                _ = try client.result(of: "billing.account.open", body: body(BillingAccountOpen(
                    storeID: "s1", clientID: "c\(i)", providerID: "hosting", accountID: "a\(i)")), as: BillingAccount.self)
                _ = try client.result(of: "billing.service.add", body: body(BillingServiceAdd(
                    storeID: "s1", accountID: "a\(i)", serviceID: "vps-\(i)", name: "VPS", price: Money(amount: 500, currency: "RUB"))),
                                      as: BillingServiceView.self)
            }

            // Each account: `rounds` expenses of 600, each paid by its own payment; an even account's
            // last payment stays unpaid. Four threads, an account's commands in order.
            let failures = FailureList()
            let group = DispatchGroup()
            for thread in 0..<4 {
                DispatchQueue.global().async(group: group) {
                    do {
                        let requests = try RequestClient(url: url, appID: "test-\(thread)")
                        for i in stride(from: thread, to: accounts, by: 4) {
                            for k in 0..<rounds {
                                let (expense, payment) = ("e-\(i)-\(k)", "p-\(i)-\(k)")
                                _ = try requests.result(of: "billing.expense.create", body: body(BillingExpenseCreate(
                                    storeID: "s1", accountID: "a\(i)", expenseID: expense, amount: Money(amount: 600, currency: "RUB"),
                                    date: Date())), as: BillingExpense.self)
                                _ = try requests.result(of: "billing.payment.create", body: body(BillingPaymentCreate(
                                    storeID: "s1", accountID: "a\(i)", paymentID: payment, expenseIDs: [expense])), as: BillingPayment.self)
                                if k == rounds - 1, i % 2 == 0 { continue }
                                _ = try requests.result(of: "billing.payment.credit", body: body(BillingPaymentRef(storeID: "s1", paymentID: payment)),
                                                        as: BillingPayment.self)
                            }
                        }
                    } catch {
                        failures.append("\(error)")
                    }
                }
            }
            // Meanwhile the same clients' shop orders: attributed and paid, each published twice.
            var orders: [AMQPMessage] = []
            for j in 0..<ordersPerClient {
                for i in 0..<accounts {
                    let id = "o-\(i)-\(j)"
                    let attributed = OrderAttributed(storeID: "s1", orderID: id, clientID: "c\(i)", placedAt: Date(),
                                                     total: Money(amount: 900, currency: "RUB"), paymentMethod: .card, matchedBy: .phone)
                    let paid = OrderStatusChanged(storeID: "s1", orderID: id, status: .paid, changedAt: Date())
                    for copy in 0..<2 {
                        // Paid first for half of them: the events may come in either order.
                        let pair = [AMQPMessage(body: body(attributed), messageID: "attr-\(id)", type: "order.attributed"),
                                    AMQPMessage(body: body(paid), messageID: "paid-\(id)", type: "order.status_changed")]
                        orders += (i + j + copy) % 2 == 0 ? pair : pair.reversed()
                    }
                }
            }
            try ConfirmedPublisher(url: url).publish(orders, batch: 8)
            group.wait()
            #expect(failures.all.isEmpty, "\(failures.all)")

            let orderCount = accounts * ordersPerClient
            #expect(try eventually(timeout: .seconds(60), every: .milliseconds(200)) {
                try billing.count("SELECT COUNT(*) FROM billing_payment WHERE order_id IS NOT NULL AND state = 'paid'") == orderCount
                    && billing.count("SELECT COUNT(*) FROM outbox") == 0
            }, "every order billed and paid, the outbox drained")
            try check(billing, replicas: replicas, orderCount: orderCount, client: client, tap: tap)
            try overdueOnce(billing, client: client, tap: tap)
        }

        /// Both replicas run the overdue timer every 200 ms (one at a time, elected): a payment
        /// past its deadline blocks its account once.
        /// Account `late` (postpay, 3 days of deferment, blocked after 5) with expense `e-late`
        /// and its unpaid payment `p-late`: what the overdue timer's tests move past its deadline.
        static func openLatePayment(client: RequestClient) throws {
            _ = try client.result(of: "billing.account.open", body: body(BillingAccountOpen(
                storeID: "s1", clientID: "c-late", providerID: "hosting", accountID: "late", postpay: true, deferment: "days",
                defermentDays: 3, blockAfterDays: 5)), as: BillingAccount.self)
            _ = try client.result(of: "billing.expense.create", body: body(BillingExpenseCreate(
                storeID: "s1", accountID: "late", expenseID: "e-late", amount: Money(amount: 900, currency: "RUB"), date: Date())),
                                  as: BillingExpense.self)
            _ = try client.result(of: "billing.payment.create", body: body(BillingPaymentCreate(
                storeID: "s1", accountID: "late", paymentID: "p-late", expenseIDs: ["e-late"])), as: BillingPayment.self)
        }

        static func overdueOnce(_ billing: RunningWorker, client: RequestClient, tap: EventTap) throws {
            try openLatePayment(client: client)
            try billing.worker.storage.write { db in
                _ = try db.execute("UPDATE billing_payment SET block_at = ? WHERE payment_id = 'p-late'", [Date().addingTimeInterval(-1)])
            }
            let first = try #require(try tap.collect(1, timeout: .seconds(10)).first)
            #expect(try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: first.body).accountID == "late")
            #expect(try tap.collect(1, timeout: .seconds(1)).isEmpty, "five turns later, still one event")
            #expect(try billing.count("SELECT COUNT(*) FROM billing_account_change WHERE account_id = 'late' AND field = 'blocked'") == 1)
        }

        static func check(_ billing: RunningWorker, replicas: [RunningWorker], orderCount: Int, client: RequestClient,
                          tap: EventTap) throws {
            // Every movement once.
            #expect(try billing.count("SELECT COUNT(*) FROM billing_expense WHERE order_id IS NOT NULL") == orderCount)
            #expect(try billing.count("SELECT COUNT(*) FROM billing_ledger WHERE kind = 'expense'") == accounts * rounds + orderCount)
            #expect(try billing.count("SELECT COUNT(*) FROM billing_ledger WHERE kind = 'payment'")
                    == accounts * rounds - accounts / 2 + orderCount)
            #expect(try billing.count("""
                SELECT COUNT(*) FROM (SELECT ref_id, kind FROM billing_ledger GROUP BY ref_id, kind HAVING COUNT(*) > 1) twice
                """) == 0, "no entry written twice")
            #expect(try billing.count("SELECT COUNT(*) FROM inbox WHERE type IN ('order.attributed', 'order.status_changed')")
                    == 2 * orderCount, "each copy read once: the second copy of every event was a duplicate")

            // Every balance is its ledger's sum, and what the flows left: one unpaid 600 on even accounts.
            let changes = try billing.worker.storage.read { db in
                try db.rows("SELECT account_id, new_value FROM billing_account_change WHERE field = 'blocked' ORDER BY change_id")
            }
            let events = try tap.collect(changes.count + 50, timeout: .seconds(3))
            let decoded = try events.map { (blocked: $0.type == "billing.account.blocked",
                                            event: try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body)) }
            for i in 0..<accounts {
                let account = try client.result(of: "billing.account.get", body: body(BillingAccountRef(storeID: "s1", accountID: "a\(i)")),
                                                as: BillingAccount.self)
                let ledger = try billing.count("SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE account_id = 'a\(i)'")
                let expected = i % 2 == 0 ? -600 : 0
                #expect(account.balance.amount == Int64(ledger) && ledger == expected, "a\(i): \(account.balance.amount), ledger \(ledger)")
                #expect(account.blocked == (i % 2 == 0) && account.servicesSuspended == (i % 2 == 0 ? 1 : 0), "a\(i)")

                // Transitions: true, false, true, ... ending in the account's state; one event each.
                let sequence = changes.filter { ($0["account_id"] as String) == "a\(i)" }.map { ($0["new_value"] as String?) == "true" }
                #expect(sequence.enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0) }, "a\(i) alternates: \(sequence)")
                #expect(sequence.last == account.blocked || (sequence.isEmpty && !account.blocked))
                let mine = decoded.filter { $0.event.accountID == "a\(i)" }.map(\.blocked)
                #expect(mine.count == sequence.count && mine.filter { $0 }.count == sequence.filter { $0 }.count,
                        "a\(i): events \(mine), changes \(sequence)")
            }
            #expect(Set(events.compactMap(\.messageID)).count == events.count, "no event published twice")
            for (n, replica) in replicas.enumerated() {
                let metrics = String(decoding: replica.worker.metrics.registry.emitToBuffer(), as: UTF8.self)
                let consumed = metrics.split(separator: "\n").first { $0.hasPrefix("crm_messages_consumed_total") }
                    .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0
                print("billing replicas: replica \(n + 1) consumed \(Int(consumed)) messages")
                #expect(consumed > 0, "both replicas took part")
            }
        }
    }
}

/// Errors from the command threads.
final class FailureList: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var all: [String] { lock.withLock { items } }
}
