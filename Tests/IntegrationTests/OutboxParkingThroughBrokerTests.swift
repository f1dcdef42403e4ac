import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
import Testing
import WorkerKit

extension BrokerSuite {
    /// The relay never stalls behind a row the broker refuses; a broker that ran an earlier
    /// version (dead queue without its bound) still works.
    @Suite struct OutboxParkingThroughBrokerTests {
        @Test func aRowToAMissingExchangeIsParkedAndTheRowsAfterItGoOn() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { worker in
                let tap = try AMQPConnection(url: url)
                try tap.declareQueue("test.after", durable: false, autoDelete: false)
                // Written the way a handler's transaction writes them: a row the broker refuses
                // (the exchange does not exist: 404 closes the channel), then one it takes.
                try worker.worker.storage.write { db in
                    for (exchange, key) in [("no.such.exchange", "x"), ("", "test.after")] {
                        try OutboxMessage.append(db, exchange: exchange, routingKey: key, message: AMQPMessage(
                            body: Data("{}".utf8), messageID: "row-\(key)", type: "test"), createdAt: Date())
                    }
                }
                #expect(try eventually(timeout: .seconds(20)) {
                    try tap.declareQueue("test.after", passive: true).messageCount == 1
                        && worker.count("SELECT COUNT(*) FROM outbox") == 0
                })
                let reason = try worker.worker.storage.read { db in
                    try db.value("SELECT parked_reason FROM outbox_parked WHERE message_id = 'row-x'", as: String.self)
                }
                #expect(reason?.contains("404") == true, "\(reason ?? "not parked")")
            }
        }

        @Test func aDeadQueueDeclaredWithoutItsBoundIsUsedAsItIsWithAWarning() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            // As an earlier version declared it.
            let old = try AMQPConnection(url: url)
            try old.declareQueue("client-service.dead", arguments: ["x-queue-type": .string("quorum")])
            let logs = LogRecorder()
            try await RunningWorker.with(ClientServiceDefinition(), url: url, logger: logs.logger(label: "client-service")) { _ in
                let client = try RequestClient(url: url, appID: "test")
                _ = try client.request(type: "client-service.status", body: Data("{}".utf8))
                try old.publish(exchange: Exchanges.events, routingKey: "order.placed", message: AMQPMessage(
                    body: Data("{".utf8), messageID: "bad-1", type: "order.placed"))
                #expect(try eventually(timeout: .seconds(10)) {
                    try old.declareQueue("client-service.dead", passive: true).messageCount == 1
                })
            }
            #expect(logs.all.contains { $0.contains("without its bound") && $0.contains("client-service.dead") }, "\(logs.all)")
        }
    }
}
