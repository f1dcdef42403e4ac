import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
import Testing
import WorkerKit

extension BrokerSuite {
    /// A dead-letter queue is bounded and refuses rather than drops: the dead letter it refuses
    /// is parked in the outbox with the broker's reason, and the relay goes on with what follows.
    @Suite struct DeadQueueBoundThroughBrokerTests {
        @Test func aFullDeadQueueParksTheDeadLetterAndTheRelayGoesOn() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, configure: {
                $0.deadLetterBounds = QueueBounds(maxLength: 2, maxBytes: 1 << 20)
            }) { worker in
                let tap = try AMQPConnection(url: url)
                try tap.declareQueue("test.attributed", durable: false, autoDelete: false)
                try tap.bindQueue("test.attributed", exchange: Exchanges.events, routingKey: "order.attributed")

                let publisher = try ConfirmedPublisher(url: url)
                // One at a time: a quorum queue's bound is checked as messages arrive, so a batch
                // that fills it is taken whole; the next message after that is refused.
                var sent = 0
                func deadOrParked() throws -> Int {
                    try tap.declareQueue("client-service.dead", passive: true).messageCount
                        + worker.count("SELECT COUNT(*) FROM outbox_parked")
                }
                while try worker.count("SELECT COUNT(*) FROM outbox_parked") == 0, sent < 6 {
                    sent += 1
                    try publisher.publish([AMQPMessage(body: Data("{\"store_id\": ".utf8), contentType: "application/json",
                                                       messageID: "dead-\(sent)", type: "order.placed", appID: "shop")])
                    #expect(try eventually(timeout: .seconds(10)) { try deadOrParked() == sent })
                }
                // Sent after the refused dead letter: it must not wait behind it.
                try publisher.publish([orderPlacedMessage(order: "after-the-full-dead-queue")])

                #expect(try eventually(timeout: .seconds(20)) {
                    try tap.declareQueue("test.attributed", passive: true).messageCount == 1
                        && worker.count("SELECT COUNT(*) FROM outbox") == 0
                })
                #expect(try worker.count("SELECT COUNT(*) FROM outbox_parked") == 1)
                #expect(try tap.declareQueue("client-service.dead", passive: true).messageCount == sent - 1)
                #expect(sent <= 4, "the bound of 2 held within one message")
                let reason = try worker.worker.storage.read { db in
                    try db.value("SELECT parked_reason FROM outbox_parked", as: String.self)
                }
                #expect(reason?.contains("nack") == true, "\(reason ?? "-")")

                // Counted, and told in the status.
                let metrics = String(decoding: worker.worker.metrics.registry.emitToBuffer(), as: UTF8.self)
                #expect(metrics.contains(#"crm_outbox_parked{service="client-service"} 1"#))
                let client = try RequestClient(url: url, appID: "test")
                let status = try client.result(of: "client-service.status", as: ServiceStatus.self)
                #expect(status.outboxParked == 1)
                let parked = try client.result(of: "client-service.outbox.parked", as: OutboxParkedList.self)
                #expect(parked.total == 1 && parked.messages.first?.routingKey == "client-service.dead")
                let bin = try #require(ProcessInfo.processInfo.environment["CRM_BIN_DIR"])
                let (code, output) = try runProgram(URL(fileURLWithPath: bin).appendingPathComponent("crmctl"),
                                                    ["outbox", "parked", "client-service", "--amqp-url", url.connectionString])
                #expect(code == 0 && output.contains("1 parked message(s), 1 shown") && output.contains("nacked"), "\(output)")
            }
        }
    }
}
