import Foundation

/// A parameter or a column value as both engines agree on it. SQLite hands back typed values;
/// PostgreSQL (through libpq's text format) hands back text, which the conversions below read.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob(Data)
}

/// A Swift type that goes into a statement and comes back out of a row.
public protocol SQLValueConvertible {
    var sqlValue: SQLValue { get }
    /// Nil when the column's value is not of this type (for either engine's representation).
    static func from(_ value: SQLValue) -> Self?
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public static func from(_ value: SQLValue) -> String? {
        switch value {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .double(let d): return String(d)
        case .blob(let data): return String(data: data, encoding: .utf8)
        case .null: return nil
        }
    }
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public static func from(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let i): return i
        case .double(let d): return Int64(exactly: d)
        case .text(let s): return Int64(s)
        default: return nil
        }
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static func from(_ value: SQLValue) -> Int? { Int64.from(value).map { Int($0) } }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .double(self) }
    public static func from(_ value: SQLValue) -> Double? {
        switch value {
        case .double(let d): return d
        case .integer(let i): return Double(i)
        case .text(let s): return Double(s)
        default: return nil
        }
    }
}

/// Bound as 1 or 0, which SQLite stores and PostgreSQL reads into both `integer` and `boolean`
/// columns; read back from SQLite's 0/1 and PostgreSQL's `t`/`f`.
extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public static func from(_ value: SQLValue) -> Bool? {
        switch value {
        case .integer(let i): return i != 0
        case .text("t"), .text("true"), .text("1"): return true
        case .text("f"), .text("false"), .text("0"): return false
        default: return nil
        }
    }
}

/// Bytes: SQLite's blobs, PostgreSQL's `bytea` (written and read in its hex form `\x…`).
extension Data: SQLValueConvertible {
    public var sqlValue: SQLValue { .blob(self) }
    public static func from(_ value: SQLValue) -> Data? {
        switch value {
        case .blob(let data): return data
        case .text(let s): return s.hasPrefix("\\x") ? HexBytes.decode(s.utf8.dropFirst(2)) : Data(s.utf8)
        default: return nil
        }
    }
}

/// Times are stored as text in one fixed UTC form (`2026-11-30 01:02:03.456`) on both engines,
/// so that they sort and compare the same way in SQL whichever engine runs it.
extension Date: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(SQLTime.text(self)) }
    public static func from(_ value: SQLValue) -> Date? {
        guard case .text(let s) = value else { return nil }
        return SQLTime.date(s)
    }
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
    public static func from(_ value: SQLValue) -> SQLValue? { value }
}

enum HexBytes {
    /// Into an array first, then one copy into `Data`: `Data.append` of one byte at a time was
    /// 1% of a replica's CPU, reading the outbox's bodies.
    static func decode(_ hex: Substring.UTF8View) -> Data? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: hex.count / 2)
        var digits = hex.makeIterator()
        var index = 0
        while let high = digits.next(), let low = digits.next() {
            guard let h = nibble(high), let l = nibble(low) else { return nil }
            bytes[index] = h << 4 | l
            index += 1
        }
        return Data(bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func encode(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 2 + data.count * 2)
        bytes[0] = UInt8(ascii: "\\"); bytes[1] = UInt8(ascii: "x")
        for (i, byte) in data.enumerated() {
            bytes[2 + 2 * i] = digits[Int(byte >> 4)]
            bytes[3 + 2 * i] = digits[Int(byte & 0xF)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
