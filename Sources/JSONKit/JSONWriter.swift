import Foundation

/// A message type that writes its own JSON, byte for byte what `JSONCoding.encoder` writes
/// (keys sorted, nil fields left out), without the generic machinery of `JSONEncoder`. Only
/// the types on the hot path implement it; the tests hold the two outputs equal.
public protocol JSONWritable: Encodable {
    func write(to json: inout JSONWriter)
}

extension JSONWritable {
    public func jsonData() -> Data {
        var writer = JSONWriter()
        write(to: &writer)
        return Data(writer.bytes)
    }
}

/// Appends JSON to a byte buffer. Object keys must be written in sorted order by the caller.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// True right after `{`: the next key needs no comma.
    private var atObjectStart = false

    public init() { bytes.reserveCapacity(512) }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        atObjectStart = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        atObjectStart = false
    }

    public mutating func key(_ key: String) {
        if !atObjectStart { bytes.append(UInt8(ascii: ",")) }
        atObjectStart = false
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        string(value)
    }

    public mutating func field(_ key: String, _ value: Int64) {
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func field(_ key: String, _ value: Date) {
        field(key, RFC3339.string(from: value))
    }

    public mutating func field<T: JSONWritable>(_ key: String, _ value: T?) {
        guard let value else { return }
        self.key(key)
        value.write(to: &self)
    }

    public mutating func field<T: JSONWritable>(_ key: String, _ values: [T]?) {
        guard let values else { return }
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            value.write(to: &self)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Bytes that already are one JSON value (a stored payload), copied as they are.
    public mutating func raw(_ json: Data) {
        bytes.append(contentsOf: json)
    }

    /// Any JSON value; object keys in `<` order. Not byte for byte `JSONEncoder` for every value
    /// (a Double is written in Swift's shortest form): for JSON that is read back, not compared.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .number(let number):
            bytes.append(contentsOf: (number.isFinite ? (number == number.rounded() && abs(number) < 1e15
                ? String(Int64(number)) : "\(number)") : "null").utf8)
        case .string(let text): string(text)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let fields):
            object { json in
                for key in fields.keys.sorted() {
                    json.key(key)
                    json.value(fields[key]!)
                }
            }
        }
    }

    /// A string with the escapes `JSONEncoder` uses (slashes left alone, as `JSONCoding` asks).
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
