import Foundation
import GRDB
import Messaging

/// A service executable started as its own process, so that a test can SIGKILL it mid-stream.
final class ServiceProcess {
    let process = Process()
    let name: String

    init(_ name: String, url: AMQPURL, dataDirectory: URL, extraEnvironment: [String: String] = [:]) throws {
        self.name = name
        guard let binDirectory = ProcessInfo.processInfo.environment["CRM_BIN_DIR"] else {
            throw TestFailure("CRM_BIN_DIR is not set (scripts/test sets it)")
        }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binDirectory).appendingPathComponent(name)
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = url.connectionString
        environment["CRM_DATA_DIR"] = dataDirectory.path
        if let databaseURL = try TestDatabase.url(for: dataDirectory) { environment["CRM_DATABASE_URL"] = databaseURL }
        environment["CRM_LOG_LEVEL"] = "notice"
        environment["CRM_METRICS_PORT"] = "0"
        environment["CRM_ACCESS_FILE"] = try TestBroker.policyFile(admin: url.user).path
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        let log = dataDirectory.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits: the service finishes its batch and flushes its outbox.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Asks the service for its status until it answers: it is then consuming.
    static func waitUntilAnswering(_ service: String, client: RequestClient, timeout: Duration = .seconds(30)) throws {
        let answered = eventually(timeout: timeout, every: .milliseconds(50)) {
            // A fresh requester each try: until the service has declared crm.requests, publishing
            // there closes the channel (requesters declare nothing).
            guard let probe = try? RequestClient(url: client.connection.url, appID: "probe") else { return false }
            return (try? probe.request(type: "\(service).status", body: Data("{}".utf8), timeout: .seconds(1))) != nil
        }
        guard answered else { throw TestFailure("\(service) never answered its status query") }
    }
}

/// Reads a service's SQLite file from the test while the service writes to it (WAL allows it);
/// on PostgreSQL, the schema of the file's folder.
func countRows(in file: URL, _ sql: String) throws -> Int {
    if let count = try TestDatabase.count(sqliteFile: file, sql) { return count }
    var configuration = Configuration()
    configuration.readonly = true
    // The service may hold the write lock (or be recovering the WAL after a SIGKILL): wait for it.
    configuration.busyMode = .timeout(10)
    let queue = try DatabaseQueue(path: file.path, configuration: configuration)
    return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
}
