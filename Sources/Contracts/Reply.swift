/// The body of every reply to a command or query: `{"ok": true, "result": …}` or
/// `{"ok": false, "error": {…}}` (schemas/reply.schema.json).
public struct Reply: Codable, Sendable, Equatable {
    public var ok: Bool
    public var result: JSONValue?
    public var error: ErrorBody?

    public static func success(_ result: JSONValue) -> Reply { Reply(ok: true, result: result, error: nil) }
    public static func failure(_ error: ErrorBody) -> Reply { Reply(ok: false, result: nil, error: error) }

    public static func success<T: Encodable>(encoding value: T) throws -> Reply {
        .success(try JSONValue.encoding(value))
    }
}

/// The error codes a reply may carry (schemas/error.schema.json).
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case validationFailed = "validation_failed"
    case notFound = "not_found"
    case conflict
    case unauthorized
    case rateLimited = "rate_limited"
    case unavailable
    case `internal`
}

public struct ErrorBody: Codable, Sendable, Equatable, Error {
    public var code: ErrorCode
    public var message: String
    public var details: [ErrorDetail]
    /// How many problems there were, when `details` lists only the first `maxDetails`.
    public var total: Int?

    public init(code: ErrorCode, message: String, details: [ErrorDetail] = [], total: Int? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.total = total
    }

    /// A reply names at most this many problems: a megabyte of bad items answers a few hundred
    /// bytes, and a dead letter's headers stay far below a frame.
    public static let maxDetails = 20
    /// Fields and messages longer than this are cut (a key can be as long as the body).
    public static let maxTextLength = 200

    public static func validationFailed(_ details: [ErrorDetail], message: String? = nil) -> ErrorBody {
        let shown = details.prefix(maxDetails).map { detail in
            var detail = detail
            detail.field = clipped(detail.field)
            return detail
        }
        var summary = message ?? shown.map { "\($0.field): \($0.problem)" }.joined(separator: "; ")
        if details.count > shown.count { summary += " (and \(details.count - shown.count) more)" }
        return ErrorBody(code: .validationFailed, message: clipped(summary, to: maxTextLength * 5), details: shown,
                         total: details.count > shown.count ? details.count : nil)
    }

    /// The first `limit` characters and an ellipsis, so a reader sees it was cut.
    public static func clipped(_ text: String, to limit: Int = maxTextLength) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}

/// One problem with one field: `{"field": "email", "problem": "already_used", "client_id": "…"}`.
/// Fields beyond `field` and `problem` travel in `extra` and are written flat beside them.
public struct ErrorDetail: Codable, Sendable, Equatable {
    public var field: String
    public var problem: String
    public var extra: [String: JSONValue]

    public init(field: String, problem: String, extra: [String: JSONValue] = [:]) {
        self.field = field
        self.problem = problem
        self.extra = extra
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        field = try c.decode(String.self, forKey: Key(stringValue: "field"))
        problem = try c.decode(String.self, forKey: Key(stringValue: "problem"))
        var extra: [String: JSONValue] = [:]
        for key in c.allKeys where key.stringValue != "field" && key.stringValue != "problem" {
            extra[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.extra = extra
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(field, forKey: Key(stringValue: "field"))
        try c.encode(problem, forKey: Key(stringValue: "problem"))
        for (k, v) in extra { try c.encode(v, forKey: Key(stringValue: k)) }
    }
}
