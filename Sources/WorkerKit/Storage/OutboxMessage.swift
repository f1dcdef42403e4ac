import Contracts
import Foundation
import SQLStore
import Messaging

/// A message waiting to be published: written in the handler's transaction, published by the
/// relay with confirms, deleted once the broker confirmed it.
public struct OutboxMessage: Codable, Sendable {
    public var id: Int64?
    public var exchange: String
    public var routingKey: String
    public var messageID: String
    public var type: String?
    public var correlationID: String?
    public var contentType: String?
    /// AMQP headers as a JSON object of strings and integers.
    public var headers: String
    public var body: Data
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, exchange, type, headers, body
        case routingKey = "routing_key", messageID = "message_id", correlationID = "correlation_id"
        case contentType = "content_type", createdAt = "created_at"
    }

    public init(exchange: String, routingKey: String, message: AMQPMessage, createdAt: Date = Date()) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageID = message.messageID ?? RandomID.uuid()
        self.type = message.type
        self.correlationID = message.correlationID
        self.contentType = message.contentType
        self.headers = Self.encodeHeaders(message.headers.merging(message.appID.map { ["x-app-id": .string($0)] } ?? [:]) { a, _ in a })
        self.body = message.body
        self.createdAt = createdAt
    }

    /// Appends a message to the outbox with a cached statement (the hot path: every reply and event).
    public static func append(_ db: SQLDatabase, exchange: String, routingKey: String, message: AMQPMessage,
                              createdAt: Date) throws {
        let row = OutboxMessage(exchange: exchange, routingKey: routingKey, message: message, createdAt: createdAt)
        try db.enqueue("""
            INSERT INTO outbox (exchange, routing_key, message_id, type, correlation_id, content_type, headers, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [row.exchange, row.routingKey, row.messageID, row.type, row.correlationID,
                  row.contentType, row.headers, row.body, row.createdAt])
    }

    /// The message as it goes to the broker; the outbox row's creation time is its timestamp.
    public func amqpMessage(appID: String) -> AMQPMessage {
        var headers = Self.decodeHeaders(self.headers)
        let app = headers.removeValue(forKey: "x-app-id")?.stringValue ?? appID
        return AMQPMessage(body: body, contentType: contentType, messageID: messageID, type: type,
                           correlationID: correlationID, appID: app, timestamp: createdAt, headers: headers)
    }

    public static func depth(_ db: SQLDatabase) throws -> Int {
        try db.value("SELECT COUNT(*) FROM outbox", as: Int.self) ?? 0
    }

    /// Deletes the rows the broker confirmed, by their ids (never by a range: on PostgreSQL a row
    /// with a lower id may commit after a higher one was read, and must not go unpublished).
    static func delete(_ db: SQLDatabase, ids: [Int64]) throws {
        guard !ids.isEmpty else { return }
        let list = RowIDList(ids)
        try db.execute("DELETE FROM outbox WHERE \(list.condition("id", on: db.engine))", [list.argument(on: db.engine)])
    }

    /// Every message in the outbox, oldest first (tests and tools).
    public static func all(_ db: SQLDatabase) throws -> [OutboxMessage] { try oldest(db, limit: Int(Int32.max)) }

    /// The messages waiting with this message id (tests and tools).
    public static func withMessageID(_ db: SQLDatabase, _ messageID: String) throws -> [OutboxMessage] {
        try db.rows("\(selection) WHERE message_id = ? ORDER BY id", [messageID]).map(message)
    }

    /// The oldest `limit` messages, read by position (the relay's hot path).
    static func oldest(_ db: SQLDatabase, limit: Int) throws -> [OutboxMessage] {
        try db.rows("\(selection) ORDER BY id LIMIT ?", [limit]).map(message)
    }

    private static let selection = """
        SELECT id, exchange, routing_key, message_id, type, correlation_id, content_type, headers, body, created_at FROM outbox
        """

    private static func message(_ row: SQLRow) -> OutboxMessage {
        var message = OutboxMessage(
            exchange: row[1], routingKey: row[2],
            message: AMQPMessage(body: row[8], contentType: row[6], messageID: row[3], type: row[4], correlationID: row[5]),
            createdAt: row[9])
        message.id = row[0]
        message.headers = row[7]
        return message
    }

    /// Headers as a JSON object, written and read by hand: every outbox row goes through both.
    static func encodeHeaders(_ headers: [String: AMQPFieldValue]) -> String {
        if headers.isEmpty { return "{}" }
        var writer = JSONWriter()
        writer.object { json in
            for (key, value) in headers.sorted(by: { $0.key < $1.key }) {
                switch value {
                case .string(let s): json.field(key, s)
                case .int(let i): json.field(key, i)
                case .bool(let b): json.field(key, b)
                }
            }
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func decodeHeaders(_ json: String) -> [String: AMQPFieldValue] {
        guard json != "{}", let fields = (try? JSONValue.parse(Data(json.utf8)))?.objectValue else { return [:] }
        return fields.compactMapValues { value in
            switch value {
            case .string(let s): return .string(s)
            case .integer(let i): return .int(i)
            case .bool(let b): return .bool(b)
            default: return nil
            }
        }
    }
}
