import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import PostgresClient
import Testing

extension BrokerSuite {
    /// Two billing-service processes on one PostgreSQL database, one SIGKILLed mid-stream (the one
    /// relaying the outbox) and started again. The stream: shop orders of 16 shared accounts (paid,
    /// paid then returned, canceled, left unpaid; each event published twice, shuffled) while
    /// operators' expenses and payments go to the same accounts. Afterwards every order and command
    /// counted once, every balance its ledger's sum and what the stream leaves, one
    /// `billing.account.blocked`/`unblocked` per transition (a repeat only as the same message id,
    /// re-published from the killed relay's last batch), and the overdue timer still runs, once.
    @Suite(.enabled(if: TestDatabase.engine == .postgres, "replicas share PostgreSQL (scripts/test's CRM_TEST_ENGINE=postgres run)"))
    struct BillingReplicaKillOnPostgresTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }
        static let accounts = 16, ordersPerClient = 40, rounds = 3
        static func count(_ db: PostgresConnection, _ sql: String) throws -> Int { try ReplicasOnPostgresTests.count(db, sql) }

        /// Order j of client i, by j % 4: paid; paid then returned; canceled; paid only on odd clients.
        static func events(client i: Int, order j: Int, at base: Date) -> [AMQPMessage] {
            let id = "o-\(i)-\(j)"
            func status(_ status: OrderStatus, _ seconds: Double) -> AMQPMessage {
                AMQPMessage(body: body(OrderStatusChanged(storeID: "s1", orderID: id, status: status, changedAt: base.addingTimeInterval(seconds))),
                            messageID: "\(status.rawValue)-\(id)", type: "order.status_changed")
            }
            var messages = [AMQPMessage(body: body(OrderAttributed(storeID: "s1", orderID: id, clientID: "c\(i)", placedAt: base,
                                                                   total: Money(amount: 900, currency: "RUB"), paymentMethod: .card,
                                                                   matchedBy: .phone)),
                                        messageID: "attr-\(id)", type: "order.attributed")]
            switch j % 4 {
            case 0: messages.append(status(.paid, 10))
            case 1: messages += [status(.paid, 10), status(.returned, 20)]
            case 2: messages.append(status(.canceled, 10))
            default: if i % 2 == 1 { messages.append(status(.paid, 10)) }
            }
            return messages
        }

        /// Sends a command until it is answered: a reply lost with the killed replica leaves a
        /// timeout, and the command sent again (a new message) is then refused as done (`conflict`).
        static func command(_ requests: RequestClient, _ type: String, _ value: some Encodable) throws {
            for attempt in 0..<5 {
                let message: AMQPMessage
                do {
                    message = try requests.request(type: type, body: body(value), timeout: .seconds(15))
                } catch let error as AMQPError {
                    if case .timeout = error {
                        print("billing kill: \(type) unanswered (its replica killed?), sent again")
                        continue
                    }
                    throw error
                }
                let reply = try JSONCoding.decoder.decode(Reply.self, from: message.body)
                if reply.ok || (attempt > 0 && reply.error?.code == .conflict) { return }
                throw TestFailure("\(type) refused: \(String(describing: reply.error))")
            }
            throw TestFailure("\(type) never answered")
        }

        @Test func aReplicaKilledMidStreamLeavesEveryMovementAndTransitionOnce() async throws { try Self.run() }

        static func run() throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-billing-kill-\(UUID().uuidString)")
            let shared = try #require(try TestDatabase.url(for: root.appendingPathComponent("billing")))
            let db = try PostgresConnection(url: shared)
            let environment = ["CRM_DATABASE_URL": shared, "CRM_BILLING_OVERDUE_SECONDS": "1"]
            var replicas = try (1...2).map { n in
                try ServiceProcess("billing-service", url: url, dataDirectory: root.appendingPathComponent("billing-\(n)"),
                                   extraEnvironment: environment)
            }
            defer { for replica in replicas where replica.process.isRunning { replica.kill() } }
            let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
            let client = try RequestClient(url: url, appID: "test")
            try ServiceProcess.waitUntilAnswering("billing-service", client: client)
            try setUp(url, client: client, db: db)

            // Operators' commands on four threads (an account's in order), all paid in the end.
            let failures = FailureList()
            let group = DispatchGroup()
            for thread in 0..<4 {
                DispatchQueue.global().async(group: group) {
                    do {
                        let requests = try RequestClient(url: url, appID: "test-\(thread)")
                        for i in stride(from: thread, to: accounts, by: 4) {
                            for k in 0..<rounds {
                                let (expense, payment) = ("e-\(i)-\(k)", "p-\(i)-\(k)")
                                try command(requests, "billing.expense.create", BillingExpenseCreate(
                                    storeID: "s1", accountID: "a\(i)", expenseID: expense, amount: Money(amount: 600, currency: "RUB"), date: Date()))
                                try command(requests, "billing.payment.create", BillingPaymentCreate(
                                    storeID: "s1", accountID: "a\(i)", paymentID: payment, expenseIDs: [expense]))
                                try command(requests, "billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: payment))
                            }
                        }
                    } catch {
                        failures.append("\(error)")
                    }
                }
            }
            // Meanwhile the orders, each event twice (the same message id), in a shuffled order.
            var generator = SplitMix64(state: 13)  // the same shuffle in every run
            let base = Date()
            let stream = (0..<ordersPerClient).flatMap { j in (0..<accounts).flatMap { i in events(client: i, order: j, at: base) } }
            let published = (stream + stream).shuffled(using: &generator)
            try ConfirmedPublisher(url: url).publish(published, batch: 50)

            // SIGKILL the relay's leader a third of the way in, and start a new replica in its place.
            let orderTypes = "type IN ('order.attributed', 'order.status_changed')"
            #expect(try eventually(timeout: .seconds(120), every: .milliseconds(10)) {
                try Self.count(db, "SELECT COUNT(*) FROM inbox WHERE \(orderTypes)") >= stream.count / 3
            })
            let leader = try ReplicasOnPostgresTests.leaderPID(db, job: "outbox-relay")
            let victim = replicas.firstIndex { $0.process.processIdentifier == leader } ?? 0
            replicas[victim].kill()
            let atKill = try Self.count(db, "SELECT COUNT(*) FROM inbox WHERE \(orderTypes)")
            let commandsAtKill = try Self.count(db, "SELECT COUNT(*) FROM inbox WHERE type IN ('billing.expense.create', 'billing.payment.create', 'billing.payment.credit')")
            print("billing kill: SIGKILLed replica \(victim + 1) (relay leader: \(leader.map(String.init) ?? "unknown")) at \(atKill) of \(stream.count) order events, \(commandsAtKill) of \(accounts * rounds * 3) commands")
            #expect(atKill < stream.count, "killed mid-stream")
            replicas[victim] = try ServiceProcess("billing-service", url: url, dataDirectory: root.appendingPathComponent("billing-3"),
                                                  extraEnvironment: environment)

            group.wait()
            #expect(failures.all.isEmpty, "\(failures.all)")
            #expect(try eventually(timeout: .seconds(180), every: .milliseconds(200)) {
                try Self.count(db, "SELECT COUNT(*) FROM inbox WHERE \(orderTypes)") == stream.count
                    && Self.count(db, "SELECT COUNT(*) FROM outbox") == 0
            }, "every order event read once, the outbox drained")
            try check(db, client: client, tap: tap)
            try overdueOnce(db, client: client, tap: tap)
            for replica in replicas { #expect(replica.terminate() == 0, "SIGTERM stops a replica cleanly") }
        }

        static func setUp(_ url: AMQPURL, client: RequestClient, db: PostgresConnection) throws {
            _ = try client.result(of: "billing.provider.upsert", body: body(BillingProviderUpsert(
                storeID: "s1", providerID: "hosting", name: "Хостинг", currency: "RUB", isDefault: true)), as: BillingProvider.self)
            let cards = try ((0..<accounts).map { "c\($0)" } + ["c-late"]).map { id in
                AMQPMessage(body: body(try clientChangedEvent(id: id, providers: ["hosting"])), messageID: "card-\(id)",
                            type: "client.updated", userID: url.user)
            }
            try ConfirmedPublisher(url: url).publish(cards)
            #expect(try eventually(timeout: .seconds(20)) { try Self.count(db, "SELECT COUNT(*) FROM billing_client") == accounts + 1 })
            for i in 0..<accounts {
                _ = try client.result(of: "billing.account.open", body: body(BillingAccountOpen(
                    storeID: "s1", clientID: "c\(i)", providerID: "hosting", accountID: "a\(i)")), as: BillingAccount.self)
                _ = try client.result(of: "billing.service.add", body: body(BillingServiceAdd(
                    storeID: "s1", accountID: "a\(i)", serviceID: "vps-\(i)", name: "VPS", price: Money(amount: 500, currency: "RUB"))),
                                      as: BillingServiceView.self)
            }
        }
    }
}

