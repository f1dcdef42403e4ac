/// The engine a service's tables live in.
public enum SQLEngine: String, Sendable {
    case sqlite
    case postgres
}

/// Statement arguments: any mix of values and optionals (`[id, name, deleted]`), nil for NULL.
public typealias SQLArguments = [(any SQLValueConvertible)?]

/// One connection inside a transaction, whichever the engine. Handlers and the runtime's tables
/// are written against this: SQL the two engines agree on (`?` parameters, `INSERT … ON
/// CONFLICT`, `RETURNING`, `TRUE`/`FALSE`, CTEs), and `engine` where they differ.
public protocol SQLDatabase: AnyObject {
    var engine: SQLEngine { get }

    /// Runs a statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int

    /// Runs a statement and returns its rows.
    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]

    /// Like `rows`, but planned for its arguments and the tables' current size at every run
    /// (PostgreSQL: an unnamed statement, not a prepared one). For a statement run once per batch
    /// over a table that grows fast: a prepared statement keeps the plan it got while the table
    /// was small, and a sequential scan made then reads the whole table at every later run.
    func rowsPlannedEachRun(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]

    /// One statement run once per argument set: the rows of each run, in order. PostgreSQL sends
    /// them all before reading any answer (one round trip); SQLite runs them one by one.
    func rowsEach(_ sql: String, _ argumentSets: [SQLArguments]) throws -> [[SQLRow]]

    /// Runs `body` under a savepoint: kept when it returns, undone (and the transaction usable
    /// again, which PostgreSQL needs after any failed statement) when it throws.
    func savepoint<T>(_ body: () throws -> T) throws -> T

    /// Several statements without parameters in one string (migrations).
    func script(_ sql: String) throws

    /// A write whose count nobody reads (the hot path's inserts): on PostgreSQL it goes out
    /// without waiting for its answer, and an error it raises is thrown by the next statement
    /// or `flush()`, so a caller that must know flushes before it answers for it. SQLite runs it
    /// at once.
    func enqueue(_ sql: String, _ arguments: SQLArguments) throws

    /// Waits for what `enqueue` sent; throws the first error among it.
    func flush() throws
}

extension SQLDatabase {
    /// SQLite plans by its indexes, not by the tables' sizes: its cached statement is as good.
    public func rowsPlannedEachRun(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        try rows(sql, arguments)
    }

    public func rowsEach(_ sql: String, _ argumentSets: [SQLArguments]) throws -> [[SQLRow]] {
        try argumentSets.map { try rows(sql, $0) }
    }

    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    public func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }

    /// The first row, or nil.
    public func row(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    public func value<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> T? {
        guard let row = try row(sql, arguments) else { return nil }
        return row[0] as T?
    }

    /// The first column of every row (NULLs left out).
    public func column<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type = T.self) throws -> [T] {
        try rows(sql, arguments).compactMap { $0[0] as T? }
    }

    /// `FOR UPDATE` on PostgreSQL, nothing on SQLite (whose one writer already excludes the
    /// others): appended to a read whose row the transaction will change, so that two replicas
    /// editing one card take turns instead of both writing the version they read.
    public var forUpdate: String { engine == .postgres ? " FOR UPDATE" : "" }
}

extension Optional where Wrapped == any SQLValueConvertible {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
