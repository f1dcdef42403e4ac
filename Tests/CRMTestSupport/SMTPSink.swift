import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One mail as the SMTP sink took it, read by Python's e-mail parser (Tests/Scripts/smtp_sink.py).
public struct ReceivedMail: Decodable, Sendable {
    public struct Part: Decodable, Sendable {
        public let contentType: String
        public let charset: String?
        public let disposition: String?
        public let filename: String?
        public let transferEncoding: String?
        /// The decoded bytes of a part that is not text.
        public let contentBase64: String?
        /// Decoded text of a text part.
        public let text: String?
    }

    /// Header values as Python reads them (encoded words decoded).
    public let headers: [String: String]
    /// The header block as it came over the wire.
    public let rawHeader: String
    public let contentType: String
    /// Every part of the body in order, the multipart containers included.
    public let parts: [Part]
    /// Problems Python's parser found in the mail's form.
    public let defects: Int
    public let mailFrom: String
    public let rcptTos: [String]
    /// Whether the mail came over TLS (STARTTLS or smtps).
    public let tls: Bool
    public let login: String?
    /// Connections the server had accepted when it took this mail.
    public let connections: Int

    /// A header's value by name in any case (libcurl writes `Mime-Version`).
    public func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1, started by the test: the mails it takes are read
/// back from its folder. `stop()` kills it; `start()` brings it back on the same port.
public final class SMTPSink: @unchecked Sendable {
    public let folder: URL
    public private(set) var port: Int
    private let options: [String]
    private var process: Process?
    /// The sink's stdin: it exits when this closes, so a test that dies leaves no server behind.
    private var lifeline: Pipe?

    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/smtp_sink.py")

    /// `options`: the script's flags (`--cert`, `--key`, `--require-starttls`, `--smtps`, `--login u:p`, `--slow s`).
    public init(options: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.options = options
        port = 0
        try start()
    }

    deinit { stop() }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Starts the server (again, on the port it had, if it ran before) and waits until it listens.
    public func start() throws {
        guard process == nil else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--folder", folder.path, "--port", "\(port)"] + options
        let output = Pipe(), lifeline = Pipe()
        process.standardOutput = output
        process.standardInput = lifeline
        try process.run()
        self.process = process
        self.lifeline = lifeline
        // The first line is "PORT <n>", printed once the socket listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw SinkFailure(description: "smtp_sink.py ended before listening (is aiosmtpd installed?)") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let number = Int(text.dropFirst(5)) else {
            throw SinkFailure(description: "smtp_sink.py said \(text)")
        }
        port = number
    }

    /// Kills the server; mails already written stay readable. SIGKILL: a child of the test
    /// process inherits its blocked signals, SIGTERM among them.
    public func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
        lifeline = nil
    }

    /// Every whole mail taken so far, in the order taken.
    public func mails() throws -> [ReceivedMail] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try names.sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }.map { name in
            try decoder.decode(ReceivedMail.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
        }
    }

    /// The bytes of mail `n` (1-based) as they came over the wire.
    public func raw(_ n: Int) throws -> Data { try Data(contentsOf: folder.appendingPathComponent("\(n).eml")) }

    /// Waits until at least `count` mails are there.
    public func waitForMails(_ count: Int, timeout: Duration = .seconds(10)) throws -> [ReceivedMail] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let mails = try mails()
            if mails.count >= count || ContinuousClock.now > deadline { return mails }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }
}

struct SinkFailure: Error, CustomStringConvertible {
    let description: String
}

/// A self-signed certificate for 127.0.0.1 (openssl), for the TLS cases of the SMTP tests:
/// the server presents it, the client trusts it as its CA file.
public struct TestCertificate: Sendable {
    public let certificate: String
    public let key: String

    public static func make() throws -> TestCertificate {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let cert = folder.appendingPathComponent("cert.pem").path, key = folder.appendingPathComponent("key.pem").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SinkFailure(description: "openssl could not make a certificate") }
        return TestCertificate(certificate: cert, key: key)
    }
}
