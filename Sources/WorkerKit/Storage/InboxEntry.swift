import Foundation
import GRDB

/// A message id this service has dealt with, and how: the idempotency record.
/// Written in the same transaction as the handler's change, so a redelivery is recognised.
public struct InboxEntry: Codable, FetchableRecord, PersistableRecord, Sendable {
    public static let databaseTableName = "inbox"

    public enum Outcome: String, Codable, Sendable {
        /// The handler ran and its change committed.
        case handled
        /// The handler refused it with a business error (not_found, conflict…) and a reply said so.
        case rejected
        /// It went to the dead-letter queue.
        case dead
    }

    public var messageID: String
    public var type: String
    public var outcome: Outcome
    public var processedAt: Date

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", type, outcome
        case processedAt = "processed_at"
    }

    // The hot path runs these for every message: cached statements, no SQL generation.

    /// How a message id was dealt with, or nil when it is new.
    public static func outcome(_ db: Database, messageID: String) throws -> Outcome? {
        let statement = try db.cachedStatement(sql: "SELECT outcome FROM inbox WHERE message_id = ?")
        return try String.fetchOne(statement, arguments: [messageID]).flatMap(Outcome.init(rawValue:))
    }

    public static func record(_ db: Database, messageID: String, type: String, outcome: Outcome, at date: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO inbox (message_id, type, outcome, processed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (message_id) DO UPDATE SET type = excluded.type, outcome = excluded.outcome,
            processed_at = excluded.processed_at
            """).execute(arguments: [messageID, type, outcome.rawValue, date.databaseText])
    }

    /// Forgets message ids handled before `date`, a bounded number at a time so that the write
    /// lock is never held for long; returns how many went.
    @discardableResult
    public static func prune(_ db: Database, before date: Date, limit: Int = 10_000) throws -> Int {
        try db.execute(sql: """
            DELETE FROM inbox WHERE message_id IN
                (SELECT message_id FROM inbox WHERE processed_at < ? ORDER BY processed_at LIMIT ?)
            """, arguments: [date.databaseText, limit])
        return db.changesCount
    }

    public static func forget(_ db: Database, messageID: String) throws {
        try db.cachedStatement(sql: "DELETE FROM inbox WHERE message_id = ?").execute(arguments: [messageID])
    }

    public static func count(_ db: Database, outcome: Outcome) throws -> Int {
        try InboxEntry.filter(Column("outcome") == outcome.rawValue).fetchCount(db)
    }
}
