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

    public init(_ db: Database) { grdb = db }

    @discardableResult
    public func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        let run = try SQLiteStatementRun(grdb, sql, arguments)
        defer { run.finish() }
        while try run.step() {}
        return run.changes
    }

    public func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let run = try SQLiteStatementRun(grdb, sql, arguments)
        defer { run.finish() }
        let columns = SQLColumns(run.statement.columnNames)
        var rows: [SQLRow] = []
        while try run.step() {
            rows.append(SQLRow(columns: columns, values: run.values()))
        }
        return rows
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
}
