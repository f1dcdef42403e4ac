import Foundation

/// A parameter or a column value, in libpq's text format: what both engines' SQL agrees on.
/// Bytes travel as `bytea` in hex (`\x…`), the format PostgreSQL itself writes.
public enum PostgresValue: Sendable, Hashable {
    case null
    case text(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case bytes(Data)

    /// The text libpq sends for this value; nil for SQL NULL.
    var wireText: String? {
        switch self {
        case .null: return nil
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "t" : "f"
        case .bytes(let data): return "\\x" + data.map { String(format: "%02x", $0) }.joined()
        }
    }
}

/// The rows a statement returned, each column as PostgreSQL wrote it in text (nil for NULL).
public struct PostgresRows: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// Rows changed by an INSERT, UPDATE or DELETE.
    public let affected: Int

    public subscript(row: Int, column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return rows[row][index]
    }

    /// A `bytea` column back to bytes (PostgreSQL writes them in hex).
    public static func bytes(_ text: String?) -> Data? {
        guard let text, text.hasPrefix("\\x") else { return nil }
        var data = Data(capacity: (text.utf8.count - 2) / 2)
        var high: UInt8?
        for byte in text.utf8.dropFirst(2) {
            guard let nibble = hexValue(byte) else { return nil }
            if let h = high { data.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return high == nil ? data : nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
