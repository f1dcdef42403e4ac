import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Messaging
import WorkerKit

/// A Python server of the benchmark (scripts/bench_*.py) on 127.0.0.1: started, its port read
/// from its first line ("PORT n"); it exits when its stdin closes, so a benchmark that dies
/// leaves no server behind.
final class BenchServer {
    let port: Int
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(script: String, arguments: [String] = []) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/\(script)")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path.path] + arguments
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = try Self.readLine(output)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            throw ValidationError("\(script) said \(line) (is aiosmtpd installed? scripts/bench installs it)")
        }
        self.port = port
    }

    /// The SMTP sink's counts: mails taken, connections accepted.
    func counts() throws -> (Int, Int) {
        input.fileHandleForWriting.write(Data("count\n".utf8))
        let parts = try Self.readLine(output).split(separator: " ").compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (-1, -1)
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private static func readLine(_ pipe: Pipe) throws -> String {
        var line = Data()
        while true {
            // One byte at a time: nothing after the line may be swallowed.
            let byte = try pipe.fileHandleForReading.read(upToCount: 1) ?? Data()
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}

/// The plain loop's sender: libcurl's SMTP through our `SMTPClient`, keeping no idle connection
/// (a fresh one for every mail) or one.
struct SMTPBenchClient {
    let client: SMTPClient

    init(reuse: Bool) { client = SMTPClient(maxIdleHandles: reuse ? 1 : 0) }

    func send(_ i: Int, port: Int) throws {
        let mail = SMTPMail(from: "shop@bench.example.com", fromName: "Bench shop", to: "plain\(i)@bench.example.com",
                            subject: "Ваш заказ \(1000 + i) отправлен",
                            text: "Анна, ваш заказ \(1000 + i) отправлен.\n", messageID: "plain.\(i)@bench.example.com")
        _ = try client.send(mail, via: SMTPServer(url: "smtp://127.0.0.1:\(port)", tls: .ifOffered, timeout: .seconds(10)))
    }
}

/// notification-service's release binary, started on the benchmark's vhost with its own data
/// folder, key and access policy; ready once it answers its status query.
final class NotificationServiceProcess {
    private let process = Process()

    init(binDirectory: URL, url: AMQPURL, dataDirectory: URL, logLevel: String) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let policy = dataDirectory.appendingPathComponent("access.json")
        try JSONCoding.encoder.encode(DevelopmentUsers.policy(withAdmin: url.user).document).write(to: policy)
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = url.connectionString
        environment["CRM_DATA_DIR"] = dataDirectory.appendingPathComponent("notification").path
        environment["CRM_DATABASE_URL"] = ""
        environment["CRM_ACCESS_FILE"] = policy.path
        environment["CRM_SECRET_KEY"] = key
        environment["CRM_OUTBOUND_ALLOW_LOOPBACK"] = "1"
        environment["CRM_TEMPLATES_DIR"] = root.appendingPathComponent("templates").path
        environment["CRM_LOG_LEVEL"] = logLevel
        environment["CRM_METRICS_PORT"] = "0"
        process.executableURL = binDirectory.appendingPathComponent("notification-service")
        process.environment = environment
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            guard process.isRunning else { throw ValidationError("notification-service ended at start") }
            // A fresh requester each try: until the service has declared crm.requests, publishing
            // there closes the channel.
            if let probe = try? RequestClient(url: url, appID: "crm-bench") {
                defer { probe.connection.close() }
                if (try? probe.request(type: ServiceName.notification.statusType, body: Data("{}".utf8), timeout: .seconds(1))) != nil { break }
            }
            guard ContinuousClock.now < deadline else { throw AMQPError.timeout("notification-service did not start") }
            usleep(100_000)
        }
    }

    /// The CPU time the service used so far (user + system, /proc/<pid>/stat), in seconds: a figure
    /// of its own cost that a busy machine changes little, unlike its rate.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return .nan }
        // After "pid (comm)": state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
