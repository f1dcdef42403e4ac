import Foundation
import Logging
import Synchronization

/// Keeps every log line a worker writes, to look for what must never be logged.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    /// A logger at trace level that writes here: the most a deployment could ever log.
    func logger(label: String) -> Logger {
        Logger(label: label) { label in RecordingLogHandler(label: label, recorder: self) }
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct RecordingLogHandler: LogHandler {
    let label: String
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { _, new in new }
        recorder.append("\(level) \(label) \(message) \(all)")
    }
}
