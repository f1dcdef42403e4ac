import Foundation

/// A message type that builds itself from the JSON value the worker has already parsed and
/// validated, instead of parsing the body a second time through `JSONDecoder`. Only the types
/// on the hot path (an event per order) implement it; the tests hold it equal to `Decodable`.
public protocol JSONValueDecodable: Decodable {
    init(json: JSONFields) throws
}

/// The fields of a JSON object with typed accessors. A missing or mistyped field throws
/// `validation_failed` naming its path, as the `Decodable` path does.
public struct JSONFields {
    public let fields: [String: JSONValue]
    public let path: String

    public init(_ value: JSONValue, path: String = "") throws {
        guard case .object(let fields) = value else { throw Self.problem(path, "invalid_type") }
        self.fields = fields
        self.path = path
    }

    public func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw Self.problem(field(key), "required") }
        return value
    }

    public func optionalString(_ key: String) throws -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw Self.problem(field(key), "invalid_type")
        }
    }

    public func int64(_ key: String) throws -> Int64 {
        switch fields[key] {
        case nil, .null?: throw Self.problem(field(key), "required")
        case .integer(let i)?: return i
        case .number(let d)? where d.rounded() == d && abs(d) < 9.0e18: return Int64(d)
        default: throw Self.problem(field(key), "invalid_type")
        }
    }

    public func date(_ key: String) throws -> Date {
        guard let date = RFC3339.date(from: try string(key)) else { throw Self.problem(field(key), "invalid_value") }
        return date
    }

    public func value<T: RawRepresentable>(_ key: String, as type: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(key)) else { throw Self.problem(field(key), "invalid_value") }
        return value
    }

    public func object(_ key: String) throws -> JSONFields {
        guard let value = fields[key], value != .null else { throw Self.problem(field(key), "required") }
        return try JSONFields(value, path: field(key))
    }

    /// An optional nested object (absent or null: nil).
    public func optionalObject(_ key: String) throws -> JSONFields? {
        guard let value = fields[key], value != .null else { return nil }
        return try JSONFields(value, path: field(key))
    }

    /// Each element of an optional array, read by `element` with its path (`items[2]`).
    public func optionalArray<T>(_ key: String, _ element: (JSONValue, String) throws -> T) throws -> [T]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let values)?: return try values.enumerated().map { try element($0.element, "\(field(key))[\($0.offset)]") }
        default: throw Self.problem(field(key), "invalid_type")
        }
    }

    private func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func problem(_ field: String, _ problem: String) -> ErrorBody {
        .validationFailed([ErrorDetail(field: field, problem: problem)])
    }
}
