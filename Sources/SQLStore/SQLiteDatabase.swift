import Foundation
import GRDB

/// `SQLDatabase` over a GRDB connection inside one of its transactions. Statements are cached by
/// their SQL text (compiled once per connection), as the hot path did before; they are bound and
/// stepped through SQLite's C API (`SQLiteStatementRun`), because GRDB's generic argument and row
/// types cost a fifth of a small handler's time in a profile.
public final class SQLiteDatabase: SQLDatabase {
    public let engine = SQLEngine.sqlite
    /// The GRDB connection, for what only SQLite has (FTS5 tables, pragmas, GRDB's migrator).
    public let grdb: Database

    /// The columns of each statement run in this transaction, named once rather than at every
    /// call. Keyed by the cached statement, kept alive here so that its identifier is never
    /// another's; GRDB compiles new statements after a schema change, so a changed `SELECT *`
    /// gets its own entry.
    private var columnsByStatement: [ObjectIdentifier: (statement: Statement, columns: SQLColumns)] = [:]

    public init(_ db: Database) { grdb = db }

    @discardableResult
    public func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        // DDL, pragmas and transaction statements go through GRDB, which then clears its schema cache.
        guard SQLiteStatementRun.isPlain(sql) else {
            try grdb.execute(sql: sql, arguments: StatementArguments(arguments.map { Self.databaseValue($0?.sqlValue ?? .null) }))
            return grdb.changesCount
        }
        let run = try SQLiteStatementRun(grdb, sql, arguments)
        defer { run.finish() }
        while try run.step() {}
        return run.changes
    }

    public func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let run = try SQLiteStatementRun(grdb, sql, arguments)
        defer { run.finish() }
        let columns = columns(of: run.statement)
        var rows: [SQLRow] = []
        while try run.step() {
            rows.append(SQLRow(columns: columns, values: run.values()))
        }
        return rows
    }

    private func columns(of statement: Statement) -> SQLColumns {
        if let known = columnsByStatement[ObjectIdentifier(statement)] { return known.columns }
        let columns = SQLColumns(statement.columnNames)
        columnsByStatement[ObjectIdentifier(statement)] = (statement, columns)
        return columns
    }

    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try grdb.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }

    public func script(_ sql: String) throws { try grdb.execute(sql: sql) }

    public func enqueue(_ sql: String, _ arguments: SQLArguments) throws { try execute(sql, arguments) }

    public func flush() throws {}

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .double(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }
}
