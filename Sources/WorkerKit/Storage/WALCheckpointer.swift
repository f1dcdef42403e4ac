import Foundation
import GRDB
import Logging

/// Copies the write-ahead log back into the database file, on a thread and a connection of its
/// own. SQLite's automatic checkpoint would run inside the consumer's commit, with an fsync, every
/// thousand pages; done on the relay's thread it delayed the events behind it. A passive
/// checkpoint here blocks neither the writer nor the readers
/// (`ServiceDatabase.open(automaticCheckpoints: false)` turns the automatic one off).
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    private let interval: Duration
    private let logger: Logger
    let stopRequested = SharedFlag()

    init(path: String, interval: Duration = .milliseconds(200), logger: Logger) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        self.logger = logger
    }

    func run() {
        while !stopRequested.isSet {
            sleep(interval, unless: stopRequested)
            do {
                try connection.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            } catch {
                logger.warning("checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
