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
        let locks = keys.map { InboxEntry.lockName(messageID: $0.messageID, userID: $0.userID) }
        try db.enqueue("""
            SELECT pg_advisory_xact_lock(h) FROM
                (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(?::text[]) AS k) AS l ORDER BY h
            """, [Self.arrayLiteral(locks)])
        let ids = Set(keys.map(\.messageID))
        var rowsByID: [String: [(user: String, outcome: String)]] = [:]
        // Planned at each run: a plan cached while the inbox was small scans all of it later
        // (seen in a profile of PostgreSQL's side: the array compared with every row).
        for row in try db.rowsPlannedEachRun("SELECT message_id, user_id, outcome FROM inbox WHERE message_id = ANY(?::text[])",
                                             [Self.arrayLiteral(ids.sorted())]) {
            rowsByID[row[0], default: []].append((row[1], row[2]))
        }
        for key in keys {
            batch.outcomes[key] = InboxEntry.outcome(of: key.userID, among: rowsByID[key.messageID] ?? [])
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
