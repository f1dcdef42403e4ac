import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

/// The three nodes' guest URLs, when scripts/test started the cluster.
let clusterURLs = ProcessInfo.processInfo.environment["CRM_CLUSTER_URLS"]

extension BrokerSuite {
    /// The broker as a three-node cluster (scripts/lib/cluster.sh): client-service given all three
    /// nodes' URLs, 3,000 orders published with confirms, and the node that leads the service's
    /// quorum queue SIGKILLed mid-stream. Nothing is lost, nothing is handled twice, and the pause
    /// is measured.
    // Once per scripts/test: the broker is what it tests, and the node it kills is still rejoining
    // when the PostgreSQL pass of the broker tests starts.
    @Suite(.enabled(if: clusterURLs != nil, "needs CRM_CLUSTER_URLS (scripts/test starts the cluster)"),
           .enabled(if: TestDatabase.engine == .sqlite, "run in the SQLite pass"))
    struct ClusterFailoverTests {
        static let clusterDirectory = ProcessInfo.processInfo.environment["CRM_CLUSTER_DIR"] ?? ""

        /// rabbitmqctl on the first node that answers (one of them is killed by the test).
        static func ctl(_ arguments: String...) throws -> String {
            var lastError: Error?
            for node in ["crm1@localhost", "crm2@localhost", "crm3@localhost"] {
                do { return try TestBroker.ctl(["-n", node] + arguments) } catch { lastError = error }
            }
            throw lastError!
        }

        /// The three nodes' URLs for `vhost`, in the list form of AMQP_URL.
        static func urls(vhost: String) throws -> [AMQPURL] {
            try BrokerList(parsing: clusterURLs!).urls.map { $0.withVhost(vhost) }
        }

        /// Publishes with confirms in batches; when its node goes away it reconnects to another
        /// and publishes the unconfirmed batch again (consumers skip the copies by message id).
        static func publish(_ messages: [AMQPMessage], to brokers: [AMQPURL], onBatch: (Int) -> Void) throws {
            var list = BrokerList(brokers)
            var connection = try list.connect()
            try connection.enableConfirms()
            var start = 0
            while start < messages.count {
                let batch = messages[start..<min(start + 100, messages.count)]
                do {
                    for message in batch { try connection.publish(exchange: Exchanges.events, routingKey: "order.placed", message: message) }
                    try connection.waitForConfirms(timeout: .seconds(10))
                    start += batch.count
                    onBatch(start)
                } catch {
                    Thread.sleep(forTimeInterval: 0.2)
                    connection = try list.connect()
                    try connection.enableConfirms()
                }
            }
        }

        @Test func theQueueLeaderKilledMidStreamLosesAndDoublesNothing() async throws {
            let vhost = "cluster-\(UUID().uuidString.prefix(8))"
            _ = try Self.ctl("add_vhost", vhost)
            _ = try Self.ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
            let brokers = try Self.urls(vhost: vhost)
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-cluster-\(UUID().uuidString)")
            let database = data.appendingPathComponent("client-service.sqlite")
            let service = try ServiceProcess("client-service", url: brokers[0], dataDirectory: data,
                                             extraEnvironment: ["AMQP_URL": brokers.map(\.connectionString).joined(separator: ",")])
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: brokers[0], appID: "test"))

            let leader = try Self.ctl("list_queues", "-p", vhost, "name", "leader", "--no-table-headers")
                .split(separator: "\n").first { $0.hasPrefix("client-service\t") }?.split(separator: "\t").last.map(String.init)
            let node = try #require(leader?.split(separator: "@").first.map(String.init), "the leader of client-service")
            let index = try #require(Int(node.dropFirst(3)), "node names are crm1..crm3")
            let pidFile = "\(Self.clusterDirectory)/\(node)/rabbitmq.pid"
            let beam = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            // Publish through the nodes that stay, so that the publisher is not the one measured.
            let survivors = brokers.enumerated().filter { $0.offset != index - 1 }.map(\.element)

            // The replicas test's load (issue 10: "the same load with three broker nodes").
            let total = 10_000
            let orders = (0..<total).map { i in
                orderPlacedMessage(order: "c-\(i)", phone: String(format: "+7915%07d", i), messageID: "c-msg-\(i)")
            }
            var killedAt: ContinuousClock.Instant?
            var handledAtKill = 0
            try Self.publish(orders, to: survivors) { published in
                guard killedAt == nil, published >= 3_000,
                      let handled = try? countRows(in: database, "SELECT COUNT(*) FROM client_order"), handled > 0 else { return }
                handledAtKill = handled
                kill(beam, SIGKILL)
                killedAt = .now
            }
            let killed = try #require(killedAt, "the leader was killed mid-stream")
            // The pause: from the kill until the service handles orders again.
            var resumed: ContinuousClock.Instant?
            _ = try eventually(timeout: .seconds(60), every: .milliseconds(20)) {
                if try countRows(in: database, "SELECT COUNT(*) FROM client_order") > handledAtKill { resumed = .now; return true }
                return false
            }
            let done = try eventually(timeout: .seconds(120), every: .milliseconds(200)) {
                try countRows(in: database, "SELECT COUNT(*) FROM client_order") == total
            }
            #expect(done, "every order attributed")
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM inbox WHERE type = 'order.placed'") == total,
                    "each message handled once; copies were skipped")
            if let resumed { print("cluster: leader \(leader!) killed with \(handledAtKill) of \(total) handled; pause \(resumed - killed)") }
            #expect(service.terminate() == 0)

            // The killed node comes back at the next start of scripts/test (crm_cluster_launch
            // starts the nodes that do not run).
        }
    }
}
