import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import GRDB
import SQLStore
import Testing
import WorkerKit

extension BrokerSuite {
    /// The provider signature through the real broker: it reaches the provider and nothing else,
    /// not a reply, a dead letter, a log line (trace level) or the database file.
    @Suite struct SignatureSecrecyThroughBrokerTests {
        static let signature = "sig-broker-4b1d9e-never-shown"

        static func reply(_ client: RequestClient, _ type: String, _ value: some Encodable) throws -> Data {
            try client.request(type: type, body: JSONCoding.encoder.encode(value)).body
        }

        static func contains(_ data: Data, _ text: String = signature) -> Bool { data.range(of: Data(text.utf8)) != nil }

        @Test func theSignatureReachesTheProviderAndNothingElse() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let provider = try StubHTTPServer { request in
                request.path == "/v11/ping" ? .status(200) : .json(200, #"{"status": "trusted"}"#)
            }
            let elsewhere = try StubHTTPServer()
            defer { provider.stop(); elsewhere.stop() }
            let logs = LogRecorder()
            try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url,
                                         logger: logs.logger(label: "reliability-service")) { worker in
                let client = try RequestClient(url: url, appID: "test")
                var replies: [Data] = []
                replies.append(try Self.reply(client, "reliability.settings.update", ReliabilitySettingsUpdate(
                    storeID: "s1", activate: true, partnerCode: "P", signature: Self.signature, baseURL: provider.baseURL)))
                replies.append(try Self.reply(client, "reliability.settings.get", ReliabilitySettingsGet(storeID: "s1")))
                replies.append(try Self.reply(client, "reliability.connection.test", ReliabilityConnectionTest(storeID: "s1")))
                replies.append(try Self.reply(client, "reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789")))
                let moved = try Self.reply(client, "reliability.connection.test",
                                           ReliabilityConnectionTest(storeID: "s1", baseURL: elsewhere.baseURL))
                #expect(try JSONCoding.decoder.decode(Reply.self, from: moved).error?.details.first?.field == "signature")
                #expect(elsewhere.requestCount == 0, "nothing is sent to another address without its signature")
                // Two that die, both carrying the signature: refused by the handler, and against the schema.
                replies.append(try Self.reply(client, "reliability.settings.update", ReliabilitySettingsUpdate(
                    storeID: "s2", activate: true, signature: Self.signature)))
                replies.append(try Self.reply(client, "reliability.connection.test", ReliabilityConnectionTest(
                    storeID: "s1", signature: Self.signature, baseURL: "not a url")))
                #expect(provider.requestCount == 2 && provider.requests.allSatisfy { Self.contains($0.body) })
                for reply in replies + [moved] { #expect(!Self.contains(reply), "\(String(decoding: reply, as: UTF8.self))") }

                // A refused request is only answered; the same three without a reply to send are
                // dead-lettered, and the dead letters must not carry the signature either.
                let publisher = try AMQPConnection(url: url)
                try publisher.enableConfirms()
                let refused: [(String, any Encodable)] = [
                    ("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1", baseURL: elsewhere.baseURL)),
                    ("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s2", activate: true, signature: Self.signature)),
                    ("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1", signature: Self.signature, baseURL: "not a url")),
                ]
                for (type, body) in refused {
                    try publisher.publish(exchange: Exchanges.commands, routingKey: type, message: AMQPMessage(
                        body: try JSONCoding.encoder.encode(body), contentType: "application/json",
                        messageID: UUID().uuidString, type: type))
                }
                try publisher.waitForConfirms()
                let reader = try AMQPConnection(url: url)
                #expect(try eventually(timeout: .seconds(10)) {
                    try reader.declareQueue("reliability-service.dead", passive: true).messageCount == 3
                })
                try reader.consume(queue: "reliability-service.dead", noAck: true)
                var dead = 0
                while let delivery = try reader.nextDelivery(timeout: .seconds(1)) {
                    dead += 1
                    #expect(!Self.contains(delivery.message.body))
                    for (_, value) in delivery.message.headers { #expect(!"\(value)".contains(Self.signature)) }
                }
                #expect(dead == 3)
                await worker.stop()
                if let pool = worker.worker.storage.sqlitePool {
                    _ = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                    for suffix in ["", "-wal"] {
                        if let bytes = FileManager.default.contents(atPath: pool.path + suffix) {
                            #expect(!Self.contains(bytes), "database file\(suffix)")
                        }
                    }
                } else {
                    // PostgreSQL: no row of the service's tables holds the signature in clear.
                    let tables = try worker.worker.storage.read { db in
                        try db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", as: String.self)
                    }
                    for table in tables {
                        let found = try worker.worker.storage.read { db in
                            try db.value("SELECT COUNT(*) FROM \(table) t WHERE t::text LIKE ?", ["%" + Self.signature + "%"], as: Int.self)
                        }
                        #expect(found == 0, "table \(table)")
                    }
                }
            }
            #expect(!logs.all.isEmpty, "the recorder saw the worker's logs")
            #expect(logs.all.allSatisfy { !$0.contains(Self.signature) })
        }
    }
}
