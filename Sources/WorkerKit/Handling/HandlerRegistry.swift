import Contracts
import Foundation
import SQLStore

/// The message types a service handles, each with a typed handler. Commands and queries may be
/// answered (their result becomes the reply); events are not. Handlers are plain functions over a
/// database transaction, so they are testable without a broker.
public struct HandlerRegistry: Sendable {
    /// Queries only read: they are answered straight after the batch commits, without the
    /// outbox, and not recorded in the inbox (answering a redelivered query again is harmless).
    public enum Kind: Sendable { case event, command, query }

    struct Entry: Sendable {
        let kind: Kind
        /// Runs the handler on the body as the JSON value it was validated as: the bytes are
        /// never read again, so the handler cannot see another message than the schema did.
        let run: @Sendable (SQLDatabase, JSONValue, HandlerContext) throws -> JSONValue?
    }

    private(set) var entries: [String: Entry] = [:]
    /// Reads made for all of a batch's messages of a type before the first runs (`batchRead`).
    private(set) var batchReads: [String: @Sendable (SQLDatabase, [JSONValue]) throws -> [(any Sendable)?]] = [:]

    public init() {}

    /// A command: `handle` changes state and returns the reply's `result`.
    public mutating func command<Body: Decodable, Result: Encodable>(
        _ type: String, _ body: Body.Type,
        handle: @escaping @Sendable (SQLDatabase, Body, HandlerContext) throws -> Result
    ) {
        entries[type] = Self.answering(.command, handle)
    }

    /// A query: `handle` only reads, and returns the reply's `result`.
    public mutating func query<Body: Decodable, Result: Encodable>(
        _ type: String, _ body: Body.Type,
        handle: @escaping @Sendable (SQLDatabase, Body, HandlerContext) throws -> Result
    ) {
        entries[type] = Self.answering(.query, handle)
    }

    private static func answering<Body: Decodable, Result: Encodable>(
        _ kind: Kind, _ handle: @escaping @Sendable (SQLDatabase, Body, HandlerContext) throws -> Result
    ) -> Entry {
        Entry(kind: kind) { db, json, context in
            let decoded = try Self.decode(Body.self, from: json)
            let result = try handle(db, decoded, context)
            // Nobody reads the result of a message without `reply_to`: encoding it anyway was a
            // tenth of a fire-and-forget command's time (billing's benchmark profile).
            return context.expectsReply ? try JSONValue.encoding(result) : nil
        }
    }

    /// An event: nothing is replied; what the handler publishes goes through the outbox.
    public mutating func event<Body: Decodable>(
        _ type: String, _ body: Body.Type,
        handle: @escaping @Sendable (SQLDatabase, Body, HandlerContext) throws -> Void
    ) {
        entries[type] = Entry(kind: .event) { db, json, context in
            try handle(db, Self.decode(Body.self, from: json), context)
            return nil
        }
    }

    /// One more handler of an event type: it runs after the one already registered (if any), in
    /// the message's one transaction, so that a part of a service (webhooks' delivery) can follow
    /// an event the service also handles otherwise (its copy of the cards).
    public mutating func alsoOnEvent<Body: Decodable>(
        _ type: String, _ body: Body.Type,
        handle: @escaping @Sendable (SQLDatabase, Body, HandlerContext) throws -> Void
    ) {
        let earlier = entries[type].flatMap { $0.kind == .event ? $0.run : nil }
        entries[type] = Entry(kind: .event) { db, json, context in
            _ = try earlier?(db, json, context)
            try handle(db, Self.decode(Body.self, from: json), context)
            return nil
        }
    }

    /// What every message of `type` in a batch will read, read for all of them before the first
    /// is handled, on PostgreSQL in one round trip (`SQLDatabase.rowsEach`). `read` gets the
    /// bodies and returns one value per body, which each handler finds in `context.batchRead`.
    /// Values are dropped once a handler of another type has run in the batch; a handler must
    /// itself see whether a message of its own type earlier in the batch changed what its value
    /// says (and then read again). A body that does not decode reads nothing.
    public mutating func batchRead<Body: Decodable>(
        _ type: String, _ body: Body.Type, read: @escaping @Sendable (SQLDatabase, [Body?]) throws -> [(any Sendable)?]
    ) {
        batchReads[type] = { db, bodies in
            try read(db, bodies.map { try? Self.decode(Body.self, from: $0) })
        }
    }

    public var types: [String] { entries.keys.sorted() }
    public var eventTypes: [String] { entries.filter { $0.value.kind == .event }.keys.sorted() }
    public var commandTypes: [String] { entries.filter { $0.value.kind == .command }.keys.sorted() }
    public var queryTypes: [String] { entries.filter { $0.value.kind == .query }.keys.sorted() }

    func entry(for type: String) -> Entry? { entries[type] }

    /// Decoding errors become `validation_failed` naming the field, like schema violations.
    /// Types on the hot path build themselves by hand (`JSONValueDecodable`); the others go
    /// through `JSONValueDecoder`. Both read the parsed value, never the bytes.
    static func decode<T: Decodable>(_ type: T.Type, from json: JSONValue) throws -> T {
        if let fast = T.self as? any JSONValueDecodable.Type {
            return try fast.init(json: JSONFields(json)) as! T
        }
        do {
            return try JSONValueDecoder().decode(T.self, from: json)
        } catch let error as DecodingError {
            throw ErrorBody.validationFailed([DecodingProblem.detail(error)])
        }
    }
}

enum DecodingProblem {
    static func detail(_ error: DecodingError) -> ErrorDetail {
        func path(_ codingPath: [CodingKey], _ last: CodingKey? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).reduce(into: "") { result, key in
                if let index = key.intValue { result += "[\(index)]" }
                else { result += result.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
        }
        switch error {
        case .keyNotFound(let key, let context): return ErrorDetail(field: path(context.codingPath, key), problem: "required")
        case .typeMismatch(_, let context): return ErrorDetail(field: path(context.codingPath), problem: "invalid_type")
        case .valueNotFound(_, let context): return ErrorDetail(field: path(context.codingPath), problem: "required")
        case .dataCorrupted(let context): return ErrorDetail(field: path(context.codingPath), problem: "invalid_value")
        @unknown default: return ErrorDetail(field: "", problem: "invalid_value")
        }
    }
}
