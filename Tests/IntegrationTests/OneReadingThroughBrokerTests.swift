import ClientService
import Contracts
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// The schema and the handler read the same message, through the real service and broker.
    @Suite struct OneReadingThroughBrokerTests {
        /// Issue 9's crasher: the schema saw the last `limit` (5), the handler decoded the first
        /// (-1) and `prefix(-1)` trapped the process, at every restart. Now the key twice is
        /// refused, the request answered, and the service stays up.
        @Test func aKeyTwiceIsAnsweredAndTheServiceStaysUp() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-oneread-\(UUID().uuidString)")
            let service = try ServiceProcess("client-service", url: url, dataDirectory: data)
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: url, appID: "test"))

            let client = try RequestClient(url: url, appID: "test")
            let crasher = Data(#"{"store_id":"s1","query":"anna","limit":-1,"limit":5}"#.utf8)
            let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "client.search", body: crasher).body)
            #expect(reply.ok == false)
            #expect(reply.error?.code == .validationFailed)
            #expect(reply.error?.details.map(\.field) == ["limit"])

            #expect(service.process.isRunning)
            let status = try client.request(type: "client-service.status", body: Data("{}".utf8))
            #expect(try JSONCoding.decoder.decode(Reply.self, from: status.body).ok)
            let search = try client.request(type: "client.search", body: Data(#"{"store_id":"s1","query":"anna","limit":5}"#.utf8))
            #expect(try JSONCoding.decoder.decode(Reply.self, from: search.body).ok)
            #expect(try client.connection.declareQueue("client-service.queries", passive: true).messageCount == 0)
            #expect(service.terminate() == 0)
        }

        /// A body over the limit is dropped as it comes off the socket: dead-lettered empty, with
        /// its size in a header, and answered. A body under the limit that spans several frames
        /// arrives whole.
        @Test func anOversizedBodyIsDroppedUnreadAndRefused() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let worker = try RunningWorker(ClientServiceDefinition(), url: url, maxBodyBytes: 300_000)
            try worker.waitUntilReady()
            let client = try RequestClient(url: url, appID: "test")

            let padding = Data(repeating: 0x20, count: 290_000)
            let spanning = padding + Data(#"{"store_id":"s1"}"#.utf8)
            let fine = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "client.search", body: spanning).body)
            #expect(fine.ok, "\(String(describing: fine.error))")

            let oversized = padding + padding + Data(#"{"store_id":"s1"}"#.utf8)
            let refused = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "client.search", body: oversized).body)
            #expect(refused.error?.code == .validationFailed)
            #expect(refused.error?.details.first?.problem == "too_large")

            // Nobody waits for an event: the same oversized body is dead-lettered, without its bytes.
            try ConfirmedPublisher(url: url).publish([AMQPMessage(body: oversized, messageID: "big-event", type: "order.placed")])
            let reader = try AMQPConnection(url: url)
            try reader.consume(queue: "client-service.dead", noAck: true)
            var letters: [AMQPMessage] = []
            _ = eventually(timeout: .seconds(10)) {
                if let delivery = try? reader.nextDelivery(timeout: .milliseconds(200)) { letters.append(delivery.message) }
                return !letters.isEmpty
            }
            let letter = try #require(letters.first)
            #expect(letters.count == 1 && letter.messageID == "big-event", "the refused request is only answered")
            #expect(letter.headers[DeadLetterHeader.reason] == .string("body_too_large"))
            #expect(letter.headers[DeadLetterHeader.bodyDropped] == .int(Int64(oversized.count)))
            #expect(letter.body.isEmpty)
            #expect(try JSONCoding.decoder.decode(Reply.self, from: client.request(type: "client-service.status", body: Data("{}".utf8)).body).ok)
            await worker.stop()
        }
    }
}
