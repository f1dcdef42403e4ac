import CPostgres
import Foundation

/// One connection to PostgreSQL, owning libpq's `PGconn` and freeing it in `deinit`.
///
/// libpq's calls block, like rabbitmq-c's and SQLite's: a connection belongs to one thread at a
/// time (a worker's consumer, relay or effect runner), never to the cooperative pool; that is
/// why libpq was chosen over postgres-nio (docs/architecture.md). Statements take `$1, $2, …`
/// parameters, sent apart from the SQL text, so no value is ever spliced into SQL.
public final class PostgresConnection: @unchecked Sendable {
    let connection: OpaquePointer
    /// Statements prepared on this connection, by their SQL text: parsed and planned once.
    var prepared: [String: String] = [:]
    /// Statements enqueued in pipeline mode whose results are not read yet.
    var pending = 0
    /// The texts prepared in the pipeline under way (forgotten again if it fails).
    var preparing: [String] = []
    /// Names given to prepared statements so far (never reused on this connection).
    var statements = 0
    /// Rows of one-row inserts enqueued and not sent yet, by statement, in the order each
    /// statement was first enqueued (`PostgresConnection+Pipeline`).
    var heldInserts: [(sql: String, shape: PostgresInsertShape, rows: [[PostgresValue]])] = []
    var heldIndex: [String: Int] = [:]
    /// Each enqueued statement's insert shape, or nil when it has none, by its text.
    var insertShapes: [String: PostgresInsertShape?] = [:]

    /// `url`: `postgres://user:password@host:port/database` (libpq's URI form, `sslmode=…` etc. allowed).
    public init(url: String) throws {
        guard let connection = PQconnectdb(url) else { throw PostgresError.connect("out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.text(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError.connect(message)
        }
        self.connection = connection
        // libpq prints the server's notices (`relation … already exists, skipping`) on stderr,
        // around the JSON log lines; the statements that matter report through their results.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit { PQfinish(connection) }

    /// Runs one statement with its parameters and returns what it returned.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        try flush()
        let texts = parameters.map(\.wireText)
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecParams(connection, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        guard let result else { throw PostgresError.statement(sqlState: nil, message: Self.text(PQerrorMessage(connection))) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return Self.rows(of: result)
        default:
            // 'C' is PG_DIAG_SQLSTATE, a character macro Swift cannot import.
            throw PostgresError.statement(sqlState: Self.field(result, Int32(UInt8(ascii: "C"))),
                                          message: Self.text(PQresultErrorMessage(result)))
        }
    }

    /// Like `execute`, but the statement is prepared once per connection and reused by its text
    /// (the hot path's statements: inbox, outbox, handlers' reads and writes).
    @discardableResult
    public func executePrepared(_ sql: String, _ parameters: [PostgresValue] = []) throws -> PostgresRows {
        try flush()
        let name = try preparedName(sql) { name in
            guard let result = PQprepare(connection, name, sql, 0, nil) else { throw lastError() }
            defer { PQclear(result) }
            try Self.check(result)
        }
        let texts = parameters.map(\.wireText)
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0)
        }
        guard let result else { throw PostgresError.statement(sqlState: nil, message: Self.text(PQerrorMessage(connection))) }
        defer { PQclear(result) }
        try Self.check(result)
        return Self.rows(of: result)
    }

    /// The name `sql` is prepared under on this connection; `prepare` sends it there the first
    /// time (names are never reused: a failed prepare leaves its name unused).
    func preparedName(_ sql: String, prepare: (String) throws -> Void) throws -> String {
        if let known = prepared[sql] { return known }
        statements += 1
        let name = "s\(statements)"
        try prepare(name)
        prepared[sql] = name
        return name
    }

    /// Several statements without parameters in one text (migrations), through the simple protocol.
    public func script(_ sql: String) throws {
        try flush()
        guard let result = PQexec(connection, sql) else {
            throw PostgresError.statement(sqlState: nil, message: Self.text(PQerrorMessage(connection)))
        }
        defer { PQclear(result) }
        try Self.check(result)
    }

    /// False once the server or the network went away: the connection must be replaced.
    public var isBroken: Bool { PQstatus(connection) != CONNECTION_OK }

    static func check(_ result: OpaquePointer) throws {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK: return
        default:
            throw PostgresError.statement(sqlState: field(result, Int32(UInt8(ascii: "C"))),
                                          message: text(PQresultErrorMessage(result)))
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollback()
            throw error
        }
    }

    /// Ends the transaction under way, whatever state it is in: what was held or sent ahead and
    /// not read goes with it (a failure there is the reason for the rollback, reported already).
    public func rollback() {
        heldInserts = []
        heldIndex = [:]
        _ = try? flush()
        _ = try? script("ROLLBACK")
    }

    static func rows(of result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result)), rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { value(PQfname(result, Int32($0))) }
        let rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                PQgetisnull(result, Int32(row), Int32(column)) != 0 ? nil : value(PQgetvalue(result, Int32(row), Int32(column)))
            }
        }
        return PostgresRows(columns: columns, rows: rows, affected: Int(value(PQcmdTuples(result))) ?? 0)
    }

    /// A value, a column name or a count exactly as the server sent it. (Trimmed like a message,
    /// a text ending in a space or a newline lost it, which SQLite keeps; and Foundation's
    /// trimming was a third of a billing command's CPU time on PostgreSQL.)
    static func value(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    /// A message of libpq or the server, without its trailing newline.
    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}

/// Hands libpq an array of C strings (nil for SQL NULL) that lives for the duration of the call.
func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}

public enum PostgresError: Error, CustomStringConvertible, Equatable {
    case connect(String)
    /// `sqlState`: PostgreSQL's error code (`23505` unique violation, `40001` serialization failure, …).
    case statement(sqlState: String?, message: String)

    public var description: String {
        switch self {
        case .connect(let message): return "cannot connect to PostgreSQL: \(message)"
        case .statement(let state, let message): return "PostgreSQL \(state ?? "error"): \(message)"
        }
    }
}
