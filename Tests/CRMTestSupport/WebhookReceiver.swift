import Foundation

/// One request as the webhook receiver stand-in took it, with what it answered and why.
public struct ReceivedWebhook: Sendable, Decodable {
    public let endpoint: String
    public let status: Int
    public let reason: String
    public let headers: [String: String]
    public let body: String

    /// A header by name, in any case.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// scripts/webhook_receiver.py, started by the test: a real HTTP server on 127.0.0.1 that checks
/// each POST's signature with the README's Python check, refuses replays (an event id seen, a
/// timestamp older than 5 minutes), and can be told to fail. Endpoints are `/hooks/<name>`; their
/// secrets and modes are files in its folder. Call `stop()` when done.
public final class WebhookReceiver: @unchecked Sendable {
    public let port: Int
    public let folder: URL
    private let process = Process()

    public static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/webhook_receiver.py")

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, folder.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line is "port N", printed once the socket listens.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).replacingOccurrences(of: "port ", with: "")) else {
            process.terminate()
            throw WebhookReceiverError(description: "the receiver did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    public func url(_ endpoint: String) -> String { "http://127.0.0.1:\(port)/hooks/\(endpoint)" }

    /// The secret the endpoint checks signatures with (the one `notification.webhook.add` answered).
    public func setSecret(_ secret: String, for endpoint: String) throws {
        try Data(secret.utf8).write(to: folder.appendingPathComponent("secrets/\(endpoint)"))
    }

    /// `fail 503 2`, `status 410`, `sleep 2`; nil for a well-behaved endpoint.
    public func setMode(_ mode: String?, for endpoint: String) throws {
        let file = folder.appendingPathComponent("modes/\(endpoint)")
        if let mode { try Data(mode.utf8).write(to: file) } else { try? FileManager.default.removeItem(at: file) }
    }

    /// Every request so far, in the order received.
    public func received() throws -> [ReceivedWebhook] {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("received.jsonl")) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(ReceivedWebhook.self, from: Data($0)) }
    }

    /// Waits until `count` requests have arrived (or `timeout` passed) and returns them.
    public func waitFor(_ count: Int, timeout: Duration = .seconds(20)) throws -> [ReceivedWebhook] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let all = try received()
            if all.count >= count { return all }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return try received()
    }

    /// SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

public struct WebhookReceiverError: Error, CustomStringConvertible {
    public let description: String
}
