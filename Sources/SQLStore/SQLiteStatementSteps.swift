import Foundation
import GRDB
import GRDBSQLite

/// The hot path of `SQLiteDatabase.execute` and `rows`: a cached GRDB statement bound and stepped
/// through SQLite's C API. GRDB's way there (StatementArguments from existentials, argument
/// validation, a row cursor and `DatabaseValue`s per row) cost about 7 µs per statement, twice
/// SQLite's own work; a billing command runs seven statements. Only plain reads and writes come
/// here: anything else (DDL, pragmas, transactions) goes through GRDB, which then clears its
/// schema cache. Errors are GRDB's `DatabaseError` with SQLite's extended code, as before.
enum SQLiteStatementSteps {
    /// Whether `sql` may take the C path: it starts with SELECT, INSERT, UPDATE, DELETE or WITH.
    static func isPlain(_ sql: String) -> Bool {
        var words = sql.utf8.drop(while: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }).prefix(6).makeIterator()
        var head: [UInt8] = []
        while let byte = words.next(), byte != 0x20, byte != 0x0A, byte != 0x09 { head.append(byte | 0x20) }
        return plainHeads.contains(head)
    }

    private static let plainHeads: Set<[UInt8]> = Set(["select", "insert", "update", "delete", "with"].map { Array($0.utf8) })

    /// Binds `values`, steps to the end calling `row` for each row, and leaves the statement reset.
    static func run(_ statement: Statement, in db: Database, sql: String, _ values: [SQLValue],
                    row: (OpaquePointer) -> Void) throws {
        let handle = statement.sqliteStatement
        let connection = db.sqliteConnection
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE,
                                message: "wrong number of statement arguments: \(values.count) for \(expected)", sql: sql)
        }
        for (index, value) in values.enumerated() {
            let code = bind(value, at: Int32(index + 1), in: handle)
            guard code == SQLITE_OK else { throw error(code, connection, sql) }
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_ROW {
                row(handle)
            } else if code == SQLITE_DONE {
                return
            } else {
                throw error(code, connection, sql)
            }
        }
    }

    /// Column `index` of the current row.
    static func column(_ handle: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, index))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, index) else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, index))))
        default:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bind(_ value: SQLValue, at index: Int32, in handle: OpaquePointer) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(handle, index)
        case .integer(let i): return sqlite3_bind_int64(handle, index, i)
        case .double(let d): return sqlite3_bind_double(handle, index, d)
        case .text(let s): return sqlite3_bind_text(handle, index, s, -1, transient)
        case .blob(let data):
            return data.withUnsafeBytes { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), transient)
            }
        }
    }

    private static func error(_ code: Int32, _ connection: OpaquePointer?, _ sql: String) -> DatabaseError {
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: sql)
    }
}
