import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file from the outbox relay's thread, on a
/// connection of its own. SQLite's automatic checkpoint would run inside the consumer's commit,
/// with an fsync, every thousand pages; a passive checkpoint here does not block the writer, so
/// the consumer's batches never wait for one (`ServiceDatabase.open(automaticCheckpoints: false)`).
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(path: String, interval: Duration = .milliseconds(200)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
    }

    /// At most once per interval; cheap when the log has nothing new.
    func checkpointIfDue() throws {
        let now = ContinuousClock.now
        guard last.withLock({ last in
            guard last.map({ now - $0 >= interval }) ?? true else { return false }
            last = now
            return true
        }) else { return }
        try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }
}
