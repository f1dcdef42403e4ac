import Contracts
import CRMTestSupport
import Foundation

/// Spoils a valid JSON body in one way: a field dropped or of the wrong type, numbers past any
/// range, garbage in a string (valid Unicode or bytes that are not UTF-8), a cut-off document,
/// a field no schema knows, nesting deeper than the parser allows.
struct BodyMutator {
    enum Step: Hashable { case key(String), index(Int) }
    var random: SplitMix64

    /// A raw JSON text put in place of a value: numbers JSONValue cannot hold, deep nesting.
    private static let placeholder = "@@raw@@"

    mutating func apply(_ mutation: Mutation, to body: JSONValue) -> Data {
        let paths = Self.paths(in: body)
        let path = paths.randomElement(using: &random) ?? []
        switch mutation {
        case .dropField:
            let fields = paths.filter { if case .key? = $0.last { true } else { false } }
            return encode(Self.removing(fields.randomElement(using: &random) ?? [], from: body))
        case .wrongType:
            return encode(Self.replacing(path, in: body) { Self.otherType(than: $0) })
        case .hugeNumber:
            return raw(["1e400", "123456789012345678901234567890", "9223372036854775808", "1.7976931348623157e308",
                        "4.9e-324", "99999999999999999999.5", "1" + String(repeating: "0", count: 400)], at: path, in: body)
        case .negativeNumber:
            return raw(["-1", "-9223372036854775808", "-9223372036854775809", "-1e400", "-0", "-0.0001"], at: path, in: body)
        case .deepNesting:
            let depth = [100, 255, 257, 5000].randomElement(using: &random)!
            return raw([String(repeating: "[", count: depth) + String(repeating: "]", count: depth)], at: path, in: body)
        case .unicodeGarbage:
            let strings = paths.filter { if case .string? = Self.value(at: $0, in: body) { true } else { false } }
            let garbage = ["\u{0}", "\u{202E}evil", "\u{FEFF}", "👩‍👩‍👧‍👦", "e\u{301}\u{301}\u{301}", "\u{10FFFF}",
                           "\u{FFFD}", "\n\t\"\\", String(repeating: "я", count: 3000)].randomElement(using: &random)!
            return encode(Self.replacing(strings.randomElement(using: &random) ?? [], in: body) { value in
                .string((value.stringValue ?? "") + garbage)
            })
        case .invalidUTF8:
            // Right after the opening quote of a string value: bytes no UTF-8 decoder accepts, or lone surrogates.
            var bytes = [UInt8](encode(body))
            let starts = bytes.indices.dropFirst().filter { bytes[$0] == UInt8(ascii: "\"") && bytes[$0 - 1] == UInt8(ascii: ":") }
            let garbage: [UInt8] = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF],
                                    Array(#"\ud800"#.utf8), Array(#"\udc00\ud800"#.utf8), Array(#"\u0000"#.utf8)]
                .randomElement(using: &random)!
            if let start = starts.randomElement(using: &random) { bytes.insert(contentsOf: garbage, at: start + 1) }
            return Data(bytes)
        case .truncated:
            let bytes = encode(body)
            return bytes.prefix(Int.random(in: 0..<bytes.count, using: &random))
        case .extraField:
            let objects = [[]] + paths.filter { if case .object? = Self.value(at: $0, in: body) { true } else { false } }
            let name = ["extra", "__proto__", "store_id ", "", "ÿ", "$ref"].randomElement(using: &random)!
            return encode(Self.replacing(objects.randomElement(using: &random)!, in: body) { value in
                guard case .object(var fields) = value else { return value }
                fields[name] = .integer(1)
                return .object(fields)
            })
        case .none, .resent, .reusedMessageID, .wrongContentType, .missingMessageID, .unknownType:
            return encode(body)
        }
    }

    private func encode(_ value: JSONValue) -> Data { try! JSONCoding.encoder.encode(value) }

    private mutating func raw(_ choices: [String], at path: [Step], in body: JSONValue) -> Data {
        let text = String(decoding: encode(Self.replacing(path, in: body) { _ in .string(Self.placeholder) }), as: UTF8.self)
        let chosen = choices.randomElement(using: &random)!
        return Data(text.replacingOccurrences(of: "\"\(Self.placeholder)\"", with: chosen).utf8)
    }

    static func otherType(than value: JSONValue) -> JSONValue {
        switch value {
        case .string: .integer(7)
        case .integer, .number: .string("7")
        case .bool: .string("true")
        case .null: .object([:])
        case .array: .string("x")
        case .object: .array([])
        }
    }

    /// Every path to a value below the root, parents before children.
    static func paths(in value: JSONValue, under prefix: [Step] = []) -> [[Step]] {
        switch value {
        case .object(let fields):
            fields.keys.sorted().flatMap { [prefix + [.key($0)]] + paths(in: fields[$0]!, under: prefix + [.key($0)]) }
        case .array(let items):
            items.indices.flatMap { [prefix + [.index($0)]] + paths(in: items[$0], under: prefix + [.index($0)]) }
        default: []
        }
    }

    static func value(at path: [Step], in value: JSONValue) -> JSONValue? {
        guard let first = path.first else { return value }
        switch (first, value) {
        case (.key(let key), .object(let fields)): return fields[key].flatMap { Self.value(at: Array(path.dropFirst()), in: $0) }
        case (.index(let i), .array(let items)) where items.indices.contains(i): return Self.value(at: Array(path.dropFirst()), in: items[i])
        default: return nil
        }
    }

    static func replacing(_ path: [Step], in value: JSONValue, with change: (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = path.first else { return change(value) }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let key), .object(var fields)):
            if let inner = fields[key] { fields[key] = replacing(rest, in: inner, with: change) }
            return .object(fields)
        case (.index(let i), .array(var items)) where items.indices.contains(i):
            items[i] = replacing(rest, in: items[i], with: change)
            return .array(items)
        default: return value
        }
    }

    static func removing(_ path: [Step], from value: JSONValue) -> JSONValue {
        guard let last = path.last, case .key(let key) = last else { return value }
        return replacing(Array(path.dropLast()), in: value) { parent in
            guard case .object(var fields) = parent else { return parent }
            fields[key] = nil
            return .object(fields)
        }
    }
}
