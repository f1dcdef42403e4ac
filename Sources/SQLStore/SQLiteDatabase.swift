import Foundation
import GRDB

/// `SQLDatabase` over a GRDB connection inside one of its transactions. Statements are cached by
/// their SQL text (compiled once per connection), as the hot path did before.
public final class SQLiteDatabase: SQLDatabase {
    public let engine = SQLEngine.sqlite
    /// The GRDB connection, for what only SQLite has (FTS5 tables, pragmas, GRDB's migrator).
    public let grdb: Database

    /// The columns of each statement run in this transaction, named once rather than at every
    /// call (a dictionary per call was 3% of billing's commands). Keyed by the cached statement,
    /// kept alive here so that its identifier is never another's; GRDB compiles new statements
    /// after a schema change, so a changed `SELECT *` gets its own entry.
    private var columnsByStatement: [ObjectIdentifier: (statement: Statement, columns: SQLColumns)] = [:]

    public init(_ db: Database) { grdb = db }

    private func columns(of statement: Statement) -> SQLColumns {
        if let known = columnsByStatement[ObjectIdentifier(statement)] { return known.columns }
        let columns = SQLColumns(statement.columnNames)
        columnsByStatement[ObjectIdentifier(statement)] = (statement, columns)
        return columns
    }

    @discardableResult
    public func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        let statement = try grdb.cachedStatement(sql: sql)
        if SQLiteStatementSteps.isPlain(sql) {
            try SQLiteStatementSteps.run(statement, in: grdb, sql: sql, arguments.map { $0?.sqlValue ?? .null }) { _ in }
        } else {
            try statement.execute(arguments: Self.arguments(arguments))
        }
        return grdb.changesCount
    }

    public func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try grdb.cachedStatement(sql: sql)
        let columns = columns(of: statement)
        if SQLiteStatementSteps.isPlain(sql) {
            var rows: [SQLRow] = []
            let count = Int32(columns.names.count)
            try SQLiteStatementSteps.run(statement, in: grdb, sql: sql, arguments.map { $0?.sqlValue ?? .null }) { handle in
                rows.append(SQLRow(columns: columns, values: (0..<count).map { SQLiteStatementSteps.column(handle, $0) }))
            }
            return rows
        }
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(columns: columns, values: row.databaseValues.map(Self.value)))
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

    static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        // GRDB's initializer over `some Sequence<some DatabaseValueConvertible>` maps with a key
        // path it instantiates on every call (a third of a small handler's time in a profile);
        // the one over optional existentials calls `databaseValue` directly.
        StatementArguments(arguments.map { argument -> (any DatabaseValueConvertible)? in databaseValue(argument.sqlValue) })
    }

    static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .double(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let i): return .integer(i)
        case .double(let d): return .double(d)
        case .string(let s): return .text(s)
        case .blob(let data): return .blob(data)
        }
    }
}
