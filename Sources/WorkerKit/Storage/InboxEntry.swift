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

    public static func contains(_ db: Database, messageID: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM inbox WHERE message_id = ?)", arguments: [messageID]) ?? false
    }

    public static func count(_ db: Database, outcome: Outcome) throws -> Int {
        try InboxEntry.filter(Column("outcome") == outcome.rawValue).fetchCount(db)
    }
}
