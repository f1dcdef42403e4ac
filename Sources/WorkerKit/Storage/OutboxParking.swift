import Foundation
import SQLStore

/// Outbox rows the broker refused, kept with the reason until an operator deals with them.
public enum OutboxParking {
    public struct Parked: Codable, Sendable, Equatable {
        public var id: Int64
        public var exchange: String
        public var routingKey: String
        public var messageID: String
        public var type: String?
        public var bodyBytes: Int
        public var parkedAt: Date
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case id, exchange, type, reason
            case routingKey = "routing_key", messageID = "message_id", bodyBytes = "body_bytes"
            case parkedAt = "parked_at"
        }
    }

    /// Moves one outbox row aside in one transaction.
    static func park(_ db: SQLDatabase, id: Int64, reason: String, at date: Date) throws {
        try db.execute("""
            INSERT INTO outbox_parked (id, exchange, routing_key, message_id, type, correlation_id, content_type,
                                       headers, body, created_at, parked_at, parked_reason)
            SELECT id, exchange, routing_key, message_id, type, correlation_id, content_type, headers, body,
                   created_at, ?, ? FROM outbox WHERE id = ?
            """, [date, reason, id])
        try db.execute("DELETE FROM outbox WHERE id = ?", [id])
    }

    public static func count(_ db: SQLDatabase) throws -> Int {
        try db.value("SELECT COUNT(*) FROM outbox_parked", as: Int.self) ?? 0
    }

    /// The newest `limit` parked rows, without their bodies.
    public static func list(_ db: SQLDatabase, limit: Int) throws -> [Parked] {
        try db.rows("""
            SELECT id, exchange, routing_key, message_id, type, length(body), parked_at, parked_reason
            FROM outbox_parked ORDER BY id DESC LIMIT ?
            """, [limit]).map { row in
            Parked(id: row[0], exchange: row[1], routingKey: row[2], messageID: row[3], type: row[4],
                   bodyBytes: row[5], parkedAt: row[6], reason: row[7])
        }
    }
}
