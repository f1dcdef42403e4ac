import Foundation

/// Decodes any `Decodable` from a JSON value that was already parsed (and validated), so a
/// handler sees exactly the value the schema saw, and the bytes are read once. Reads like
/// `JSONCoding.decoder`: dates are RFC 3339 strings, integers may be written `5.0`, unknown
/// keys are ignored; errors are `DecodingError`s with the same coding paths.
public struct JSONValueDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try JSONValueReader(value: value, codingPath: []).read(T.self)
    }
}

/// One value and where it sits; the `Decoder` a type's `init(from:)` is given.
struct JSONValueReader: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(JSONKeyedReader<Key>(fields: fields, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self) }
        return JSONUnkeyedReader(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The types `JSONDecoder` treats as leaves are read here; everything else decodes itself.
    func read<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self { return try decode(String.self) as! T }
        if T.self == Int.self { return try integer(Int.self) as! T }
        if T.self == Bool.self { return try decode(Bool.self) as! T }
        if T.self == Double.self { return try decode(Double.self) as! T }
        if T.self == Date.self {
            guard let date = RFC3339.date(from: try decode(String.self)) else {
                throw corrupted("not an RFC 3339 date-time")
            }
            return date as! T
        }
        if T.self == URL.self {
            guard let url = URL(string: try decode(String.self)) else { throw corrupted("not a URL") }
            return url as! T
        }
        return try T(from: self)
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        switch value {
        case .integer(let i):
            guard let exact = I(exactly: i) else { throw corrupted("\(i) does not fit in \(I.self)") }
            return exact
        case .number(let d) where d.rounded() == d:
            guard let exact = I(exactly: d) else { throw corrupted("\(d) does not fit in \(I.self)") }
            return exact
        default:
            throw mismatch(I.self)
        }
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        let found = value == .null ? "null" : "another kind of value"
        let context = DecodingError.Context(codingPath: codingPath, debugDescription: "expected \(type), found \(found)")
        return value == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    func corrupted(_ description: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: description))
    }
}

extension JSONValueReader: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self) }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self) }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: throw mismatch(Double.self)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(T.self) }
}

/// A key that is an array index, rendered `[i]` in error paths.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
