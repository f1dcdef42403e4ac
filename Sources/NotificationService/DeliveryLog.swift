import Contracts
import Foundation
import SQLStore

/// The delivery log: `notification_delivery` (one row per message to a person) and
/// `notification_attempt` (each result its channel reported).
struct DeliveryRecord: Sendable, Equatable {
    var deliveryID: String
    var storeID: String
    var originKey: String
    var channel: NotificationSend.Channel
    var recipient: String
    var clientID: String?
    var template: String
    var locale: String
    var category: NotificationSend.Category
    var status: NotificationSendResult.Status
    var reason: String?
    var attempts = 0
    var createdAt: Date
    var completedAt: Date?

    var sendResult: NotificationSendResult { NotificationSendResult(deliveryID: deliveryID, status: status, reason: reason) }

    func outcome(at: Date) -> NotificationOutcome {
        NotificationOutcome(storeID: storeID, deliveryID: deliveryID, channel: NotificationOutcome.Channel(rawValue: channel.rawValue) ?? .email, recipient: recipient, clientID: clientID,
                            template: template, category: category, attempts: attempts, reason: reason, at: at)
    }
}

enum DeliveryLog {
    /// Adds the delivery unless its store already has one of the same origin: then nothing is
    /// written and the one already there is returned (one statement in the common case, where a
    /// look first cost a read per send). The count of rows written tells, not `RETURNING`: on
    /// SQLite that builds a temporary table per statement and doubled the insert's cost.
    static func insert(_ db: SQLDatabase, _ d: DeliveryRecord) throws -> DeliveryRecord? {
        let added = try db.execute("""
            INSERT INTO notification_delivery (delivery_id, store_id, origin_key, channel, recipient, client_id, template, locale,
                category, status, reason, attempts, created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, origin_key) DO NOTHING
            """, [d.deliveryID, d.storeID, d.originKey, d.channel.rawValue, d.recipient, d.clientID, d.template, d.locale,
                  d.category.rawValue, d.status.rawValue, d.reason, d.attempts, SQLTime.text(d.createdAt),
                  d.completedAt.map(SQLTime.text)])
        guard added == 0 else { return nil }
        return try byOrigin(db, storeID: d.storeID, originKey: d.originKey)
    }

    static func byOrigin(_ db: SQLDatabase, storeID: String, originKey: String) throws -> DeliveryRecord? {
        try db.row("SELECT * FROM notification_delivery WHERE store_id = ? AND origin_key = ?", [storeID, originKey]).map(record)
    }

    /// Ends a pending delivery; nil when it was not pending (a result handled twice changes nothing).
    /// The guarded UPDATE locks the row on PostgreSQL, so a replica handling the same result waits
    /// and then finds it no longer pending. There it returns the row; SQLite reads it after the
    /// update instead (its `RETURNING` builds a temporary table per statement, dearer than a read).
    static func complete(_ db: SQLDatabase, deliveryID: String, status: NotificationSendResult.Status, reason: String?,
                         calls: Int, at: Date) throws -> DeliveryRecord? {
        let update = """
            UPDATE notification_delivery SET status = ?, reason = ?, attempts = attempts + ?, completed_at = ?
            WHERE delivery_id = ? AND status = 'pending'
            """
        let arguments: SQLArguments = [status.rawValue, reason, calls, SQLTime.text(at), deliveryID]
        let ended: SQLRow?
        if db.engine == .postgres {
            ended = try db.row(update + " RETURNING *", arguments)
        } else {
            ended = try db.execute(update, arguments) == 1
                ? try db.row("SELECT * FROM notification_delivery WHERE delivery_id = ?", [deliveryID]) : nil
        }
        guard let row = ended else { return nil }
        // A delivery leaves `pending` once (the guard above), and only then is an attempt row
        // written: it is the delivery's first, seq 1 (a second would break the primary key, loudly).
        try db.execute("INSERT INTO notification_attempt (delivery_id, seq, calls, result, detail, at) VALUES (?, 1, ?, ?, ?, ?)",
                       [deliveryID, calls, status == .delivered ? "delivered" : "failed", reason, SQLTime.text(at)])
        return record(row)
    }

    /// Messages to `recipient` of a store counted against its hourly limit: the last hour's,
    /// those the limit itself stopped left out (a loop stays stopped only while it keeps sending).
    static func recentCount(_ db: SQLDatabase, storeID: String, recipient: String, since: Date) throws -> Int {
        try db.value("""
            SELECT COUNT(*) FROM notification_delivery WHERE store_id = ? AND recipient = ? AND created_at >= ?
            AND (reason IS NULL OR reason != 'rate_limited')
            """, [storeID, recipient, SQLTime.text(since)], as: Int.self) ?? 0
    }

    static func attempts(_ db: SQLDatabase, deliveryID: String) throws -> [NotificationDeliveriesResult.Attempt] {
        try db.rows("SELECT calls, result, detail, at FROM notification_attempt WHERE delivery_id = ? ORDER BY seq",
                    [deliveryID]).map { row in
            NotificationDeliveriesResult.Attempt(calls: row["calls"], result: row["result"], detail: row["detail"],
                                                 at: SQLTime.date(row["at"]) ?? Date(timeIntervalSince1970: 0))
        }
    }

    static func record(_ row: SQLRow) -> DeliveryRecord {
        DeliveryRecord(
            deliveryID: row["delivery_id"], storeID: row["store_id"], originKey: row["origin_key"],
            channel: NotificationSend.Channel(rawValue: row["channel"]) ?? .email, recipient: row["recipient"],
            clientID: row["client_id"], template: row["template"], locale: row["locale"],
            category: NotificationSend.Category(rawValue: row["category"]) ?? .transactional,
            status: NotificationSendResult.Status(rawValue: row["status"]) ?? .pending, reason: row["reason"],
            attempts: row["attempts"], createdAt: SQLTime.date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
            completedAt: (row["completed_at"] as String?).flatMap(SQLTime.date))
    }
}
