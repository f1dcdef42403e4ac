import Foundation
import GRDB
import PostgresClient

/// Where a service's tables live: its SQLite file (one process, the embedded default) or its
/// PostgreSQL database (shared by the service's replicas). Every transaction of the runtime and
/// the handlers goes through `write` or `read`, whichever the engine.
public final class SQLStorage: Sendable {
    public let engine: SQLEngine
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(DatabasePool)
        case postgres(PostgresPool)
    }

    public init(sqlite pool: DatabasePool) {
        engine = .sqlite
        backend = .sqlite(pool)
    }

    /// `url`: `postgres://user:password@host:port/database`; connections open as they are needed.
    /// `schema`: where the tables live (created when missing), for databases shared by schemas.
    public init(postgresURL url: String, applicationName: String, schema: String? = nil) throws {
        engine = .postgres
        backend = .postgres(try PostgresPool(url: url, applicationName: applicationName, schema: schema))
    }

    /// The SQLite pool, for what only SQLite has (checkpoints, GRDB's migrator); nil on PostgreSQL.
    public var sqlitePool: DatabasePool? {
        if case .sqlite(let pool) = backend { return pool }
        return nil
    }

    /// The PostgreSQL pool (the relay's leadership, migrations); nil on SQLite.
    public var postgresPool: PostgresPool? {
        if case .postgres(let pool) = backend { return pool }
        return nil
    }

    /// Runs `body` in a write transaction: committed when it returns, rolled back when it throws.
    public func write<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool): return try pool.write { try body(SQLiteDatabase($0)) }
        case .postgres(let pool): return try pool.transaction(body)
        }
    }

    /// Runs `body` in a read-only transaction (on SQLite it does not wait for the writer).
    public func read<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        switch backend {
        case .sqlite(let pool): return try pool.read { try body(SQLiteDatabase($0)) }
        case .postgres(let pool): return try pool.transaction(readOnly: true, body)
        }
    }
}

/// Whether a failed transaction may simply be run again: SQLite's busy or locked database,
/// PostgreSQL's serialization failures and deadlocks, and a unique key taken by a replica's
/// transaction that committed first (the second attempt then finds its row).
public enum SQLConflict {
    public static func isTransient(_ error: Error) -> Bool {
        if let error = error as? DatabaseError {
            return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        }
        if case .statement(let state?, _) = error as? PostgresError {
            return ["40001", "40P01", "23505", "55P03"].contains(state)
        }
        return false
    }

    /// An error of the database itself (either engine), not of the code around it.
    public static func isDatabaseError(_ error: Error) -> Bool {
        error is DatabaseError || error is PostgresError
    }
}
