import Foundation
import Messaging
import SQLStore

/// PostgreSQL: the per-message locks and inbox reads of a whole batch in two statements, rather
/// than two per message. Each statement is a round trip and server time of its own; with one
/// replica those per-message statements were a large part of an order's cost.
///
/// The locks are taken sorted by their key, so two consumers whose batches overlap take them in
/// one order and never crosswise. What the read found holds for each message's first occurrence
/// in a pass over the batch; a second copy of a message in the same batch (or a pass run again
/// message by message) reads the inbox itself, which then holds the first copy's row.
final class BatchInbox {
    private struct Key: Hashable {
        let messageID: String
        let userID: String
    }

    private var outcomes: [Key: InboxEntry.Outcome] = [:]
    private var unlooked: Set<Key>

    private init(keys: Set<Key>) {
        unlooked = keys
    }

    /// nil on SQLite (one writer, reads are cheap there) and for a batch of one.
    static func load(_ deliveries: [Delivery], userOf: (AMQPMessage) -> String, in db: SQLDatabase) throws -> BatchInbox? {
        guard db.engine == .postgres, deliveries.count > 1 else { return nil }
        let keys = Set(deliveries.compactMap { delivery -> Key? in
            guard let id = delivery.message.messageID, !id.isEmpty else { return nil }
            return Key(messageID: id, userID: userOf(delivery.message))
        })
        guard !keys.isEmpty else { return nil }
        let batch = BatchInbox(keys: keys)
        let locks = keys.map { $0.messageID + "\u{1F}" + $0.userID }
        try db.enqueue("""
            SELECT pg_advisory_xact_lock(h) FROM
                (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(?::text[]) AS k) AS l ORDER BY h
            """, [Self.arrayLiteral(locks)])
        let ids = Set(keys.map(\.messageID))
        var legacy: [String: InboxEntry.Outcome] = [:]
        for row in try db.rows("SELECT message_id, user_id, outcome FROM inbox WHERE message_id = ANY(?::text[])",
                               [Self.arrayLiteral(ids.sorted())]) {
            let (id, user): (String, String) = (row[0], row[1])
            guard let outcome = InboxEntry.Outcome(rawValue: row[2]) else { continue }
            if user.isEmpty { legacy[id] = outcome } else { batch.outcomes[Key(messageID: id, userID: user)] = outcome }
        }
        // A row from before the inbox was keyed by sender counts for every sender (as InboxEntry.outcome).
        for key in keys where batch.outcomes[key] == nil {
            if let outcome = legacy[key.messageID] { batch.outcomes[key] = outcome }
        }
        return batch
    }

    /// The inbox's answer for this message's first occurrence in the pass (its lock is held);
    /// nil when the caller must lock and read for itself.
    func firstLook(messageID: String, userID: String) -> InboxEntry.Outcome?? {
        let key = Key(messageID: messageID, userID: userID)
        guard unlooked.remove(key) != nil else { return nil }
        return .some(outcomes[key])
    }

    /// A pass over the batch run again message by message: every message reads for itself.
    func forgetLooks() {
        unlooked.removeAll()
    }

    /// A PostgreSQL array literal of texts: each element quoted, `"` and `\` escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
