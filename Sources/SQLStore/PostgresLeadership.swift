import Foundation
import PostgresClient

/// One replica of a service at a time does a job (relaying the outbox, running the effects): the
/// one holding a PostgreSQL advisory lock, on a connection of its own. When that replica dies,
/// its connection closes, the server releases the lock, and the next replica that asks takes it.
public final class PostgresLeadership: @unchecked Sendable {
    private let pool: PostgresPool
    private let job: String
    private var db: PostgresDatabase?
    /// A standby's connection, kept between its tries: a new connection every second would cost
    /// the server a backend start each time.
    private var standby: PostgresDatabase?

    /// `job`: what is led (`outbox-relay`). The lock's key is made from the job and the schema the
    /// tables are in, so services (or tests) sharing one database in schemas of their own each
    /// elect their own leader.
    public init(pool: PostgresPool, job: String) {
        self.pool = pool
        self.job = job
    }

    /// True while this replica leads; asks for the lock when it does not (never waits).
    public func lead() throws -> Bool {
        if let db, !db.connection.isBroken { return true }
        db = nil
        if let connection = standby, connection.connection.isBroken { standby = nil }
        let candidate = try standby ?? PostgresDatabase(pool.open())
        standby = nil
        do {
            guard try candidate.value("SELECT pg_try_advisory_lock(\(Self.key))", [job], as: Bool.self) == true else {
                standby = candidate
                return false
            }
        } catch {
            if !candidate.connection.isBroken { standby = candidate }
            throw error
        }
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

    /// Gives the lock up (a graceful stop), so that another replica takes over at once. The lock
    /// is released by a statement the server has answered before the connection closes: a closed
    /// connection's locks go only when its backend has finished exiting, a moment later.
    public func resign() {
        if let db, !db.connection.isBroken {
            _ = try? db.value("SELECT pg_advisory_unlock(\(Self.key))", [job], as: Bool.self)
        }
        db = nil
        standby = nil
    }

    /// The SQL of the lock's key for the job given as the parameter: the same in every replica.
    public static let key = "hashtextextended(current_schema() || '/' || ?::text, 0)"
}
