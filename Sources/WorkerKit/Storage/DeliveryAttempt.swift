import Foundation
import GRDB

/// How many times a message was delivered again without being settled: counted in a small
/// transaction of its own before the handler runs, so a crash in the handler cannot undo it.
/// Only redeliveries touch this table; the first delivery of a message never does.
public enum DeliveryAttempt {
    /// Counts one more delivery of the message from `userID` and returns the total, the first
    /// (uncounted) delivery included.
    public static func count(_ db: Database, messageID: String, userID: String, at date: Date) throws -> Int {
        try db.cachedStatement(sql: """
            INSERT INTO delivery_attempt (message_id, user_id, attempts, first_at) VALUES (?, ?, 2, ?)
            ON CONFLICT (message_id, user_id) DO UPDATE SET attempts = attempts + 1
            """).execute(arguments: [messageID, userID, date.databaseText])
        let attempts = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT attempts FROM delivery_attempt WHERE message_id = ? AND user_id = ?
            """), arguments: [messageID, userID])
        return attempts ?? 2
    }

    /// The message was settled (handled, answered or dead-lettered) in this transaction.
    public static func clear(_ db: Database, messageID: String, userID: String) throws {
        try db.cachedStatement(sql: "DELETE FROM delivery_attempt WHERE message_id = ? AND user_id = ?")
            .execute(arguments: [messageID, userID])
    }

    /// Counts older than the inbox's retention belong to messages long gone from the queue.
    public static func prune(_ db: Database, before date: Date) throws {
        try db.execute(sql: "DELETE FROM delivery_attempt WHERE first_at < ?", arguments: [date.databaseText])
    }
}
