import Foundation
import GRDB
import GRDBSQLite

/// One run of a cached GRDB statement through SQLite's C API: bind the arguments, step, read the
/// current row's values, reset. GRDB compiles and caches the statement and owns the transaction;
/// only the binding and stepping bypass it (no transaction observers are registered here, which is
/// what GRDB's own bookkeeping around a step serves).
struct SQLiteStatementRun {
    let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, _ sql: String, _ arguments: SQLArguments) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard arguments.count == expected else {
            throw DatabaseError(
                resultCode: .SQLITE_MISUSE,
                message: "wrong number of statement arguments: \(arguments.count) for \(expected)", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            let code = Self.bind(argument?.sqlValue ?? .null, to: handle, at: Int32(offset + 1))
            guard code == SQLITE_OK else { throw error(code) }
        }
    }

    /// Whether `sql` may take this path: it starts with SELECT, INSERT, UPDATE, DELETE or WITH.
    /// Anything else (DDL, pragmas, transactions) goes through GRDB, which then clears its
    /// schema cache.
    static func isPlain(_ sql: String) -> Bool {
        var words = sql.utf8.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }).prefix(7).makeIterator()
        var head: [UInt8] = []
        while let byte = words.next(), byte != 0x20, byte != 0x0A, byte != 0x09, byte != 0x0D { head.append(byte | 0x20) }
        return plainHeads.contains(head)
    }

    private static let plainHeads: Set<[UInt8]> = Set(["select", "insert", "update", "delete", "with"].map { Array($0.utf8) })

    /// Steps once: true while there is a row to read.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    /// Rows changed by the statement (an INSERT, UPDATE or DELETE) once it is done.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// The current row's values, in column order.
    func values() -> [SQLValue] {
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count { values.append(value(at: column)) }
        return values
    }

    /// Resets the statement and lets go of the bound text and blobs.
    func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let bytes = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: bytes), as: UTF8.self))
        case SQLITE_BLOB:
            let bytes = Int(sqlite3_column_bytes(handle, column))
            guard let blob = sqlite3_column_blob(handle, column), bytes > 0 else { return .blob(Data()) }
            return .blob(Data(bytes: blob, count: bytes))
        default: return .null
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: connection.map { sqlite3_extended_errcode($0) } ?? code),
            message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
    }

    /// SQLite copies text and blobs bound with this destructor, so Swift's buffers may go at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: SQLValue, to handle: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(handle, index)
        case .integer(let i): return sqlite3_bind_int64(handle, index, i)
        case .double(let d): return sqlite3_bind_double(handle, index, d)
        case .text(let s):
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not ''.
            if s.isEmpty { return sqlite3_bind_text(handle, index, "", 0, transient) }
            var s = s
            return s.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), transient)
                }
            }
        case .blob(let data):
            if data.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
            return data.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
        }
    }
}
