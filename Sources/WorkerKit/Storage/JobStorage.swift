import Foundation
import SQLStore

/// The storage as a job that one process at a time may run (the outbox relay, the effect runner)
/// sees it. On SQLite this process is the only one on its folder, so it always leads. On
/// PostgreSQL the replicas of a service elect one per job with an advisory lock held by a
/// connection of the job's own: the others stand by and take over when the leader's connection
/// goes (a replica killed or stopped), so no outbox row is published by two relays at once.
final class JobStorage: Sendable {
    let storage: SQLStorage
    private let leadership: PostgresLeadership?

    init(_ storage: SQLStorage, job: String) {
        self.storage = storage
        leadership = storage.postgresPool.map { PostgresLeadership(pool: $0, job: job) }
    }

    /// Whether this process runs the job now (asked again at every turn of the job's loop).
    func lead() throws -> Bool { try leadership?.lead() ?? true }

    func write<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        if let leadership { return try leadership.write(body) }
        return try storage.write(body)
    }

    /// Reads need no lead (a standby replica counts parked rows too): they go through the pool.
    func read<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        try storage.read(body)
    }

    /// A stopping process hands the job over at once instead of when its connection times out.
    func resign() { leadership?.resign() }
}
