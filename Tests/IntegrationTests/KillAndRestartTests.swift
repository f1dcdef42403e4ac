import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// Nothing lost, nothing doubled: a worker SIGKILLed mid-stream, and a broker that goes away
    /// mid-stream, still leave every message's effect exactly once.
    @Suite struct KillAndRestartTests {
        static func orders(_ count: Int, buyers: Int, prefix: String) -> [AMQPMessage] {
            (0..<count).map { i in
                orderPlacedMessage(order: "\(prefix)-\(i)", phone: String(format: "+7912%07d", i % buyers),
                                   messageID: "\(prefix)-msg-\(i)")
            }
        }

        /// Each order attributed exactly once: one distinct event id per order, none missing.
        static func checkAttributions(_ events: [AMQPMessage], expected: Int) throws {
            var idsByOrder: [String: Set<String>] = [:]
            for event in events {
                let body = try JSONCoding.decoder.decode(OrderAttributed.self, from: event.body)
                idsByOrder[body.orderID, default: []].insert(event.messageID ?? "")
            }
            #expect(idsByOrder.count == expected, "every order attributed")
            #expect(idsByOrder.values.allSatisfy { $0.count == 1 }, "no order attributed twice")
        }

        @Test func tenThousandMessagesThroughAServiceKilledMidStream() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-kill-\(UUID().uuidString)")
            let database = data.appendingPathComponent("client-service.sqlite")
            let tap = try EventTap(url: url, keys: ["order.attributed"])
            let client = try RequestClient(url: url, appID: "test")

            var service = try ServiceProcess("client-service", url: url, dataDirectory: data)
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: client)
            let total = 10_000
            try ConfirmedPublisher(url: url).publish(Self.orders(total, buyers: 2_000, prefix: "k"))

            // Two kills at different depths of the stream, each followed by a restart.
            for threshold in [2_000, 6_000] {
                let reached = try eventually(timeout: .seconds(120), every: .milliseconds(10)) {
                    try countRows(in: database, "SELECT COUNT(*) FROM client_order") >= threshold
                }
                #expect(reached)
                service.kill()
                let atKill = try countRows(in: database, "SELECT COUNT(*) FROM client_order")
                #expect(atKill < total, "killed mid-stream, with \(atKill) of \(total) handled")
                print("client-service SIGKILLed with \(atKill) of \(total) orders handled")
                service = try ServiceProcess("client-service", url: url, dataDirectory: data)
            }
            let done = try eventually(timeout: .seconds(180), every: .milliseconds(200)) {
                try countRows(in: database, "SELECT COUNT(*) FROM inbox WHERE type = 'order.placed'") == total
            }
            #expect(done, "every message handled after the restarts")
            _ = eventually(timeout: .seconds(30)) { (try? countRows(in: database, "SELECT COUNT(*) FROM outbox")) == 0 }
            #expect(service.terminate() == 0, "SIGTERM stops the service cleanly")

            #expect(try countRows(in: database, "SELECT COUNT(*) FROM client_order") == total)
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM client") == 2_000, "one client per buyer")
            #expect(try countRows(in: database, "SELECT COUNT(*) FROM inbox WHERE outcome = 'handled'") >= total)
            let events = try tap.collect(total + 2_000, timeout: .seconds(5))
            print("order.attributed deliveries: \(events.count) for \(total) orders (repeats are relay re-publishes of the same message id)")
            try Self.checkAttributions(events, expected: total)
        }

        @Test func aBrokerRestartMidStreamLosesNothing() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            // A durable tap queue: it keeps the events published while the broker is down and up again.
            let setup = try AMQPConnection(url: url)
            try ServiceTopology.declareShared(on: setup)
            try setup.declareQueue("test.attributed", arguments: ["x-queue-type": .string("quorum")])
            try setup.bindQueue("test.attributed", exchange: Exchanges.events, routingKey: "order.attributed")
            setup.close()

            try await RunningWorker.with(ClientServiceDefinition(), url: url) { worker in
                try ConfirmedPublisher(url: url).publish(Self.orders(3_000, buyers: 500, prefix: "r"))
                #expect(try eventually(timeout: .seconds(60), every: .milliseconds(5)) {
                    try worker.count("SELECT COUNT(*) FROM client_order") >= 300
                })
                try TestBroker.ctl("stop_app")
                try await Task.sleep(for: .seconds(2))
                #expect(!worker.worker.isReady, "the worker noticed the broker went away")
                try TestBroker.ctl("start_app")
                try TestBroker.ctl("await_startup")

                // The worker reconnects by itself and consumes what was left, and what comes next.
                try worker.waitUntilReady(timeout: .seconds(60))
                try ConfirmedPublisher(url: url).publish(Self.orders(1_000, buyers: 500, prefix: "r2"))
                #expect(try eventually(timeout: .seconds(120)) {
                    try worker.count("SELECT COUNT(*) FROM client_order") == 4_000
                        && worker.count("SELECT COUNT(*) FROM outbox") == 0
                })
            }

            let reader = try AMQPConnection(url: url)
            try reader.setPrefetch(1_000)
            try reader.consume(queue: "test.attributed", noAck: true)
            var events: [AMQPMessage] = []
            while let delivery = try reader.nextDelivery(timeout: .seconds(2)) { events.append(delivery.message) }
            try Self.checkAttributions(events, expected: 4_000)
        }
    }
}
