import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import PostgresClient
import Testing

extension BrokerSuite {
    /// Replicas on PostgreSQL (issue 10): three client-service and two reliability-service
    /// processes share their service's database and compete for its queue; 10,000 orders flow
    /// while the client replica that relays the outbox is SIGKILLed and another is stopped with
    /// SIGTERM. Every order is attributed once, every client's order count in reliability-service
    /// matches client-service's, and the only repeated `order.attributed` copies are those of the
    /// killed relay's unconfirmed batch.
    @Suite(.enabled(if: TestDatabase.engine == .postgres, "replicas share PostgreSQL (scripts/test's CRM_TEST_ENGINE=postgres run)"))
    struct ReplicasOnPostgresTests {
        /// The process whose connection holds the job's advisory lock (`PostgresLeadership`).
        static func leaderPID(_ db: PostgresConnection, job: String) throws -> Int32? {
            let rows = try db.execute("""
                WITH k AS (SELECT hashtextextended(current_schema() || '/' || $1::text, 0) AS key)
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
                WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                  AND l.classid = ((k.key >> 32) & 4294967295)::oid AND l.objid = (k.key & 4294967295)::oid
                """, [.text(job)])
            guard let name = rows.rows.first?.first ?? nil, let pid = name.split(separator: "-").last else { return nil }
            return Int32(pid)
        }

        static func count(_ db: PostgresConnection, _ sql: String) throws -> Int {
            let value = try db.execute(sql).rows.first?.first ?? nil
            return Int(value ?? "0") ?? 0
        }

        @Test func threeClientAndTwoReliabilityReplicasOneKilledOneStopped() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replicas-\(UUID().uuidString)")
            let clientURL = try #require(try TestDatabase.url(for: root.appendingPathComponent("client")))
            let reliabilityURL = try #require(try TestDatabase.url(for: root.appendingPathComponent("reliability")))
            let clientDB = try PostgresConnection(url: clientURL), reliabilityDB = try PostgresConnection(url: reliabilityURL)
            let tap = try EventTap(url: url, keys: ["order.attributed"])
            let requests = try RequestClient(url: url, appID: "test")

            var clients = try (1...3).map { n in
                try ServiceProcess("client-service", url: url, dataDirectory: root.appendingPathComponent("client-\(n)"),
                                   extraEnvironment: ["CRM_DATABASE_URL": clientURL])
            }
            let reliabilities = try (1...2).map { n in
                try ServiceProcess("reliability-service", url: url, dataDirectory: root.appendingPathComponent("reliability-\(n)"),
                                   extraEnvironment: ["CRM_DATABASE_URL": reliabilityURL])
            }
            defer { for process in clients + reliabilities where process.process.isRunning { process.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: requests)
            try ServiceProcess.waitUntilAnswering("reliability-service", client: requests)

            let total = 10_000
            try ConfirmedPublisher(url: url).publish(KillAndRestartTests.orders(total, buyers: 2_000, prefix: "r"))

            // SIGKILL the replica that relays client-service's outbox, a third of the way in.
            #expect(try eventually(timeout: .seconds(180), every: .milliseconds(20)) {
                try Self.count(clientDB, "SELECT COUNT(*) FROM client_order") >= 3_000
            })
            let leader = try Self.leaderPID(clientDB, job: "outbox-relay")
            let victim = clients.firstIndex { $0.process.processIdentifier == leader } ?? 0
            let atKill = try Self.count(clientDB, "SELECT COUNT(*) FROM client_order")
            clients[victim].kill()
            print("replicas: SIGKILLed client-service pid \(clients[victim].process.processIdentifier) (relay leader: \(leader.map(String.init) ?? "unknown")) with \(atKill) of \(total) orders handled")
            let killed = clients.remove(at: victim)
            _ = killed

            // SIGTERM another replica two thirds of the way in: it finishes its batch and leaves.
            #expect(try eventually(timeout: .seconds(180), every: .milliseconds(20)) {
                try Self.count(clientDB, "SELECT COUNT(*) FROM client_order") >= 6_000
            })
            let stopped = clients.removeFirst()
            #expect(stopped.terminate() == 0, "SIGTERM stops a replica cleanly")

            #expect(try eventually(timeout: .seconds(240), every: .milliseconds(200)) {
                try Self.count(clientDB, "SELECT COUNT(*) FROM inbox WHERE type = 'order.placed'") == total
                    && Self.count(clientDB, "SELECT COUNT(*) FROM outbox") == 0
                    && Self.count(reliabilityDB, "SELECT COUNT(*) FROM rel_order WHERE client_id IS NOT NULL") == total
            }, "every order handled by the replicas left, and followed by reliability-service")
            #expect(try Self.count(clientDB, "SELECT COUNT(*) FROM client_order") == total)
            #expect(try Self.count(clientDB, "SELECT COUNT(*) FROM client") == 2_000, "one client per buyer")

            // Every client's orders as reliability-service rates them are client-service's.
            func perClient(_ db: PostgresConnection, _ table: String) throws -> [String: String] {
                Dictionary(uniqueKeysWithValues: try db.execute("SELECT client_id, COUNT(*) FROM \(table) GROUP BY client_id").rows
                    .map { ($0[0] ?? "-", $0[1] ?? "0") })
            }
            let expected = try perClient(clientDB, "client_order")
            #expect(expected.count == 2_000)
            #expect(try perClient(reliabilityDB, "rel_order") == expected, "every rating counts exactly its client's orders")

            let events = try tap.collect(total + 2_000, timeout: .seconds(10))
            let distinct = Set(events.compactMap(\.messageID))
            print("replicas: \(events.count) order.attributed copies, \(distinct.count) distinct ids, \(events.count - distinct.count) repeated")
            try KillAndRestartTests.checkAttributions(events, expected: total)
            // Only the killed relay's last batch (published, not yet deleted) may come twice.
            #expect(events.count - distinct.count <= 1_000, "no message published by two relays")
            for process in clients + reliabilities { #expect(process.terminate() == 0) }
        }
    }
}
