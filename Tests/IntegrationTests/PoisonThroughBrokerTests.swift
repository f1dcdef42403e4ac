import Contracts
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// A query that crashes the worker, in a real crash loop: `crash-worker` (Tests/CrashWorker)
    /// traps on the store "crash". The poison guard ends the loop after CRM_MAX_ATTEMPTS; the
    /// other queries of its batch are answered.
    @Suite struct PoisonThroughBrokerTests {
        @Test func aQueryThatCrashesTheWorkerEndsInTheDeadQueueAndTheRestOfItsBatchIsAnswered() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-poison-\(UUID().uuidString)")
            let environment = ["CRM_MAX_ATTEMPTS": "3", "SWIFT_BACKTRACE": "enable=no"]
            let client = try RequestClient(url: url, appID: "test")
            // First start: it declares its queues; then stopped, so that the queries wait as one batch.
            let first = try ServiceProcess("crash-worker", url: url, dataDirectory: data, extraEnvironment: environment)
            try ServiceProcess.waitUntilAnswering("dedupe-service", client: client)
            #expect(first.terminate() == 0)

            var ids: [String] = []
            for i in 0..<20 {
                let store = i == 7 ? "crash" : "s\(i)"
                let id = "q-\(i)"
                try client.send(type: "store.get", body: Data(#"{"store_id": "\#(store)"}"#.utf8), messageID: id)
                ids.append(id)
            }

            // The crash loop, as a supervisor (systemd, compose) would run it: restart after each crash.
            var crashes = 0
            let reader = try AMQPConnection(url: url)
            while crashes < 8, try reader.declareQueue("dedupe-service.dead", passive: true).messageCount == 0 {
                let process = try ServiceProcess("crash-worker", url: url, dataDirectory: data, extraEnvironment: environment)
                let exited = eventually(timeout: .seconds(20)) {
                    !process.process.isRunning
                        || (try? reader.declareQueue("dedupe-service.dead", passive: true).messageCount) == 1
                }
                if !process.process.isRunning { crashes += 1 } else { _ = process.terminate() }
                #expect(exited)
            }
            // The first delivery and two counted redeliveries crashed; the fourth was given up.
            #expect(crashes == 3)

            // The loop stopped its last worker as soon as the poison was dead-lettered, maybe
            // before the rest of the queries were answered: the supervisor starts it once more.
            let last = try ServiceProcess("crash-worker", url: url, dataDirectory: data, extraEnvironment: environment)
            defer { if last.process.isRunning { _ = last.terminate() } }
            var answered = 0
            for id in ids where id != "q-7" {
                let reply = try JSONCoding.decoder.decode(Reply.self, from: client.waitForReply(correlationID: id, timeout: .seconds(20)).body)
                if reply.ok { answered += 1 }
            }
            #expect(answered == 19)
            let poisonReply = try JSONCoding.decoder.decode(Reply.self, from: client.waitForReply(correlationID: "q-7", timeout: .seconds(20)).body)
            #expect(poisonReply.error?.code == .internal)

            reader.close()
            let dead = try AMQPConnection(url: url)
            try dead.consume(queue: "dedupe-service.dead", noAck: true)
            let letter = try #require(try dead.nextDelivery(timeout: .seconds(5)))
            #expect(letter.message.messageID == "q-7")
            #expect(letter.message.headers[DeadLetterHeader.reason] == .string("too_many_attempts"))
            #expect(letter.message.headers[DeadLetterHeader.attempts] == .int(4))
        }

        @Test func aTakenMetricsPortStopsTheExecutableWithAClearError() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let taken = try TakenPort()
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-port-\(UUID().uuidString)")
            let service = try ServiceProcess("notification-service", url: url, dataDirectory: data,
                                             extraEnvironment: ["CRM_METRICS_PORT": "\(taken.port)"])
            let stopped = eventually(timeout: .seconds(20)) { !service.process.isRunning }
            if !stopped { _ = service.terminate() }
            #expect(stopped, "the service ran on without its metrics port")
            #expect(service.process.terminationStatus == 1)
            let log = try String(contentsOf: data.appendingPathComponent("notification-service.log"), encoding: .utf8)
            #expect(log.contains("cannot listen on 127.0.0.1:\(taken.port) for metrics and health"), "\(log)")
        }
    }
}

/// A port on 127.0.0.1 held open by the test, so that a service cannot bind it.
final class TakenPort {
    let socket: Int32
    let port: Int

    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestFailure("cannot hold a port")
        }
        socket = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}
