import Foundation
import PostgresClient

/// `SQLDatabase` over one libpq connection inside a transaction. `?` parameters become `$n`
/// (rewritten once per SQL text), and every statement is prepared once per connection.
/// Used by one thread at a time (the pool hands it out for one transaction), hence unchecked.
public final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    public let engine = SQLEngine.postgres
    public let connection: PostgresConnection
    private var rewritten: [String: String] = [:]
    private var savepoints = 0

    public init(_ connection: PostgresConnection) { self.connection = connection }

    @discardableResult
    public func execute(_ sql: String, _ arguments: SQLArguments) throws -> Int {
        try connection.executePrepared(postgresSQL(sql), arguments.map { Self.parameter($0.sqlValue) }).affected
    }

    public func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        Self.rows(of: try connection.executePrepared(postgresSQL(sql), arguments.map { Self.parameter($0.sqlValue) }))
    }

    public func rowsEach(_ sql: String, _ argumentSets: [SQLArguments]) throws -> [[SQLRow]] {
        let sets = argumentSets.map { $0.map { Self.parameter($0.sqlValue) } }
        return try connection.executePreparedEach(postgresSQL(sql), sets).map(Self.rows(of:))
    }

    public func rowsPlannedEachRun(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        Self.rows(of: try connection.execute(postgresSQL(sql), arguments.map { Self.parameter($0.sqlValue) }))
    }

    private static func rows(of result: PostgresRows) -> [SQLRow] {
        let columns = SQLColumns(result.columns)
        return result.rows.map { row in
            SQLRow(columns: columns, values: row.map { $0.map(SQLValue.text) ?? .null })
        }
    }

    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepoints += 1
        let name = "sp\(savepoints)"
        defer { savepoints -= 1 }
        try connection.script("SAVEPOINT \(name)")
        do {
            let value = try body()
            try connection.script("RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            // What was sent ahead inside the savepoint is undone with it, failed or not.
            try? connection.flush()
            try connection.script("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    public func script(_ sql: String) throws { try connection.script(sql) }

    public func enqueue(_ sql: String, _ arguments: SQLArguments) throws {
        try connection.enqueue(postgresSQL(sql), arguments.map { Self.parameter($0.sqlValue) })
    }

    public func flush() throws { try connection.flush() }

    private func postgresSQL(_ sql: String) -> String {
        if let known = rewritten[sql] { return known }
        let text = PostgresPlaceholders.rewrite(sql)
        rewritten[sql] = text
        return text
    }

    static func parameter(_ value: SQLValue) -> PostgresValue {
        switch value {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .double(let d): return .double(d)
        case .text(let s): return .text(s)
        case .blob(let data): return .text(HexBytes.encode(data))
        }
    }
}
