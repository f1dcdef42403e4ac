import Contracts
import Foundation
import GRDB
import SQLStore

/// An external call a handler asked for: written in the handler's transaction (like the outbox),
/// performed after the commit by the `EffectRunner`, so that a batch rolled back and run again
/// never repeats a call. The row keeps who waits for the answer (`reply_to`, correlation id) and
/// never a secret in clear: a secret rides sealed (`secret_sealed`) and is cleared when done.
public struct PendingEffect: Sendable, Equatable {
    public var id: Int64
    /// Names the performer, and the completion message's type (`<kind>.completed`).
    public var kind: String
    /// The performer's JSON input.
    public var payload: Data
    public var secretSealed: String?
    /// The message whose handler recorded the effect.
    public var originMessageID: String
    public var replyTo: String?
    public var correlationID: String?
    public var attempts: Int
    public var maxAttempts: Int

    /// What a sealed secret of this effect is bound to: it opens only for its own effect.
    public static func secretContext(originMessageID: String, kind: String) -> String {
        "effect/\(kind)/\(originMessageID)/secret"
    }

    public var secretContext: String { Self.secretContext(originMessageID: originMessageID, kind: kind) }
}

enum EffectTable {
    /// Migration step `runtime-3-effects`.
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE effect (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                payload BLOB NOT NULL,
                secret_sealed TEXT,
                origin_message_id TEXT NOT NULL,
                reply_to TEXT,
                correlation_id TEXT,
                state TEXT NOT NULL DEFAULT 'pending',
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                due_at REAL NOT NULL,
                last_error TEXT,
                created_at REAL NOT NULL,
                completed_at REAL
            );
            CREATE INDEX effect_due ON effect (state, due_at);
            """)
    }

    static func insert(_ db: SQLDatabase, _ effect: HandlerContext.RecordedEffect, origin: String, replyTo: String?,
                       correlationID: String?, now: Date) throws {
        try db.enqueue("""
            INSERT INTO effect (kind, payload, secret_sealed, origin_message_id, reply_to, correlation_id, max_attempts,
                due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [effect.kind, effect.payload, effect.secretSealed, origin,
                                     effect.answerWhenDone ? replyTo : nil, effect.answerWhenDone ? correlationID : nil,
                                     effect.maxAttempts, now.timeIntervalSince1970, now.timeIntervalSince1970])
    }

    /// Pending effects due by `now`, oldest first.
    static func due(_ db: SQLDatabase, now: Date, limit: Int) throws -> [PendingEffect] {
        try db.rows("SELECT \(columns) FROM effect WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?",
                    [now.timeIntervalSince1970, limit]).map(pending)
    }

    /// Pending effects due by `now`, oldest first, at most `limit`, leaving out `claimed` (the
    /// runner's calls under way). The ids come from the index alone; only the rows taken are read:
    /// under load most due effects are claimed, and reading their payloads was most of the query.
    static func due(_ db: SQLDatabase, now: Date, limit: Int, skipping claimed: Set<Int64>) throws -> [PendingEffect] {
        guard limit > 0 else { return [] }
        let ids: [Int64] = try db.rows("SELECT id FROM effect WHERE state = 'pending' AND due_at <= ? ORDER BY due_at LIMIT ?",
                                       [now.timeIntervalSince1970, limit + claimed.count]).map { $0[0] }
        let chosen = Array(ids.lazy.filter { !claimed.contains($0) }.prefix(limit))
        guard !chosen.isEmpty else { return [] }
        // One statement for the chosen rows (a round trip each would cost PostgreSQL more than it saves).
        let list = RowIDList(chosen)
        let rows = try db.rows("SELECT \(columns) FROM effect WHERE \(list.condition("id", on: db.engine))",
                               [list.argument(on: db.engine)])
        let byID = Dictionary(rows.map(pending).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return chosen.compactMap { byID[$0] }
    }

    private static let columns = "id, kind, payload, secret_sealed, origin_message_id, reply_to, correlation_id, attempts, max_attempts"

    private static func pending(_ row: SQLRow) -> PendingEffect {
        PendingEffect(id: row[0], kind: row[1], payload: row[2], secretSealed: row[3], originMessageID: row[4],
                      replyTo: row[5], correlationID: row[6], attempts: row[7], maxAttempts: row[8])
    }

    /// When the next pending effect is due, if any.
    static func nextDue(_ db: SQLDatabase) throws -> Date? {
        try db.value("SELECT MIN(due_at) FROM effect WHERE state = 'pending'", as: Double.self)
            .map(Date.init(timeIntervalSince1970:))
    }

    static func reschedule(_ db: SQLDatabase, id: Int64, attempts: Int, at due: Date, error: String) throws {
        try db.execute("UPDATE effect SET attempts = ?, due_at = ?, last_error = ? WHERE id = ?",
                       [attempts, due.timeIntervalSince1970, error, id])
    }

    /// Done: the secret is dropped, the row stays (for its reply address) until pruned.
    static func complete(_ db: SQLDatabase, id: Int64, attempts: Int, error: String?, now: Date) throws {
        try db.execute("""
            UPDATE effect SET state = 'done', attempts = ?, last_error = ?, secret_sealed = NULL, completed_at = ?
            WHERE id = ?
            """, [attempts, error, now.timeIntervalSince1970, id])
    }

    static func prune(_ db: SQLDatabase, before cutoff: Date) throws -> Int {
        try db.execute("DELETE FROM effect WHERE state = 'done' AND completed_at < ?", [cutoff.timeIntervalSince1970])
    }

    /// Who waits for the answer to effect `id`: (reply_to, correlation id, origin message id).
    static func origin(_ db: SQLDatabase, id: Int64) throws -> (replyTo: String, correlationID: String?, messageID: String)? {
        guard let row = try db.row("SELECT reply_to, correlation_id, origin_message_id FROM effect WHERE id = ?", [id]),
              let replyTo: String = row[0], !replyTo.isEmpty
        else { return nil }
        return (replyTo, row[1], row[2])
    }
}
