import Foundation
import SQLStore

/// How many times a message was delivered again without being settled: counted in a small
/// transaction of its own before the handler runs, so a crash in the handler cannot undo it.
/// Only redeliveries touch this table; the first delivery of a message never does.
public enum DeliveryAttempt {
    /// Counts one more delivery of the message from `userID` and returns the total, the first
    /// (uncounted) delivery included.
    public static func count(_ db: SQLDatabase, messageID: String, userID: String, at date: Date) throws -> Int {
        try db.value("""
            INSERT INTO delivery_attempt (message_id, user_id, attempts, first_at) VALUES (?, ?, 2, ?)
            ON CONFLICT (message_id, user_id) DO UPDATE SET attempts = delivery_attempt.attempts + 1
            RETURNING attempts
            """, [messageID, userID, date], as: Int.self) ?? 2
    }

    /// The message was settled (handled, answered or dead-lettered) in this transaction.
    public static func clear(_ db: SQLDatabase, messageID: String, userID: String) throws {
        try db.execute("DELETE FROM delivery_attempt WHERE message_id = ? AND user_id = ?", [messageID, userID])
    }

    /// Counts older than the inbox's retention belong to messages long gone from the queue.
    public static func prune(_ db: SQLDatabase, before date: Date) throws {
        try db.execute("DELETE FROM delivery_attempt WHERE first_at < ?", [date])
    }
}
