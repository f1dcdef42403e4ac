import Foundation
import SQLStore

/// A message id this service has dealt with, from which verified sender, and how: the
/// idempotency record. Written in the same transaction as the handler's change, so a redelivery
/// is recognised. Keyed by id and sender: a sender cannot shadow another's message by reusing its id.
public struct InboxEntry: Codable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        /// The handler ran and its change committed.
        case handled
        /// The handler refused it with a business error (not_found, conflict…) and a reply said so.
        case rejected
        /// It went to the dead-letter queue.
        case dead
    }

    public var messageID: String
    /// The verified sender (the original one for a retry); '' on rows from before runtime-3.
    public var userID: String
    public var type: String
    public var outcome: Outcome
    public var processedAt: Date

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", userID = "user_id", type, outcome
        case processedAt = "processed_at"
    }

    // The hot path runs these for every message: cached statements, no SQL generation.

    /// How a sender's message id was dealt with, or nil when it is new; '' (a row from before
    /// senders were kept) matches any sender. One B-tree seek on the key's first column, the
    /// sender compared here: `user_id IN (?, '')` made SQLite build an ephemeral table for the
    /// list on every run, which tripled the cost of this lookup, run for every message.
    public static func outcome(_ db: SQLDatabase, messageID: String, userID: String) throws -> Outcome? {
        let rows = try db.rows("SELECT user_id, outcome FROM inbox WHERE message_id = ?", [messageID])
        return outcome(of: userID, among: rows.map { ($0[0], $0[1]) })
    }

    /// The sender's own row's outcome, else that of a row from before senders were kept ('').
    static func outcome(of userID: String, among rows: [(user: String, outcome: String)]) -> Outcome? {
        var legacy: Outcome?
        for row in rows {
            guard row.user == userID || row.user.isEmpty, let outcome = Outcome(rawValue: row.outcome) else { continue }
            if row.user == userID { return outcome }
            legacy = outcome
        }
        return legacy
    }

    /// The name of the PostgreSQL advisory lock that two copies of one message meet on (hashed
    /// with `hashtextextended`); the batch's locks and a single message's must be the same.
    static func lockName(messageID: String, userID: String) -> String {
        messageID + "\u{1F}" + userID
    }

    public static func record(_ db: SQLDatabase, messageID: String, userID: String, type: String, outcome: Outcome,
                              at date: Date) throws {
        try db.enqueue("""
            INSERT INTO inbox (message_id, user_id, type, outcome, processed_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (message_id, user_id) DO UPDATE SET type = excluded.type, outcome = excluded.outcome,
            processed_at = excluded.processed_at
            """, [messageID, userID, type, outcome.rawValue, date])
    }

    /// Forgets message ids handled before `date`, a bounded number at a time so that the write
    /// lock is never held for long; returns how many went.
    @discardableResult
    public static func prune(_ db: SQLDatabase, before date: Date, limit: Int = 10_000) throws -> Int {
        let pruned = try db.execute("""
            DELETE FROM inbox WHERE (message_id, user_id) IN
                (SELECT message_id, user_id FROM inbox WHERE processed_at < ? ORDER BY processed_at LIMIT ?)
            """, [date, limit])
        try DeliveryAttempt.prune(db, before: date)
        return pruned
    }

    public static func forget(_ db: SQLDatabase, messageID: String, userID: String) throws {
        try db.execute("DELETE FROM inbox WHERE message_id = ? AND user_id IN (?, '')", [messageID, userID])
    }

    public static func count(_ db: SQLDatabase, outcome: Outcome) throws -> Int {
        try db.value("SELECT COUNT(*) FROM inbox WHERE outcome = ?", [outcome.rawValue], as: Int.self) ?? 0
    }
}
