import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// SQLite serves one process: a second service process on the same data folder is refused
    /// at start with a message that says what to do instead, and the first goes on.
    @Suite struct OneProcessPerFolderTests {
        @Test(.enabled(if: TestDatabase.engine == .sqlite, "the folder lock is SQLite's; replicas share PostgreSQL"))
        func aSecondProcessOnOneDataFolderIsRefused() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-lock-\(UUID().uuidString)")
            let first = try ServiceProcess("client-service", url: url, dataDirectory: data)
            defer { if first.process.isRunning { first.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: url, appID: "test"))

            let second = try ServiceProcess("client-service", url: url, dataDirectory: data)
            second.process.waitUntilExit()
            #expect(second.process.terminationStatus == 1)
            let log = try String(contentsOf: data.appendingPathComponent("client-service.log"), encoding: .utf8)
            #expect(log.contains("already runs on the data folder") && log.contains("PostgreSQL"), "\(log)")
            #expect(log.contains("pid \(first.process.processIdentifier)"), "\(log)")

            // The first one still answers.
            let reply = try RequestClient(url: url, appID: "test").request(type: "client-service.status", body: Data("{}".utf8))
            #expect(!reply.body.isEmpty)
            #expect(first.terminate() == 0)
            // Once it has stopped, the folder is free again.
            let third = try ServiceProcess("client-service", url: url, dataDirectory: data)
            defer { if third.process.isRunning { third.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: url, appID: "test"))
        }
    }
}
