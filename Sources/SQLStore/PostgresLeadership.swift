import Foundation
import PostgresClient

/// One replica of a service at a time does a job (relaying the outbox, running the effects): the
/// one holding a PostgreSQL advisory lock, on a connection of its own. When that replica dies,
/// its connection closes, the server releases the lock, and the next replica that asks takes it.
public final class PostgresLeadership: @unchecked Sendable {
    private let pool: PostgresPool
    private let key: Int64
    private var db: PostgresDatabase?

    /// `job`: what is led (`outbox-relay`); the lock's key is derived from it and the database.
    public init(pool: PostgresPool, job: String) {
        self.pool = pool
        self.key = Self.key(for: job)
    }

    /// True while this replica leads; asks for the lock when it does not (never waits).
    public func lead() throws -> Bool {
        if let db, !db.connection.isBroken { return true }
        db = nil
        let candidate = PostgresDatabase(try pool.open())
        guard try candidate.value("SELECT pg_try_advisory_lock(?)", [key], as: Bool.self) == true else { return false }
        db = candidate
        return true
    }

    /// A transaction on the leader's connection; `lead()` must have returned true.
    public func write<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        guard let db else { throw PostgresError.connect("not the leader of this job") }
        do {
            return try PostgresPool.transaction(on: db, body)
        } catch {
            if db.connection.isBroken { self.db = nil }
            throw error
        }
    }

    /// Gives the lock up (a graceful stop), so that another replica takes over at once.
    public func resign() {
        db = nil
    }

    /// A stable 64-bit key from the job's name (FNV-1a), the same in every replica.
    static func key(for job: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("crm:" + job).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }
}
