import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `notification.webhook.add/remove/list`: a store's endpoints. The signing secret is made here,
/// stored sealed, and answered once, in the add reply; `list` never shows it. The access check
/// (operators of the store, administrators) is the runtime's, on `store_id`.
struct WebhookRegistry: Sendable {
    let secrets: SecretBox
    let outbound: OutboundPolicy
    /// Endpoints per store: each event is posted to each of them, so the list stays short.
    static let maxPerStore = 20

    func add(_ db: SQLDatabase, _ command: NotificationWebhookAdd, _ context: HandlerContext) throws -> NotificationWebhookAdded {
        // What can be told without DNS is told now; the effect runner checks the rest at each call.
        do {
            _ = try OutboundAddress.checkForm(command.url, policy: outbound)
        } catch {
            throw ErrorBody.validationFailed([ErrorDetail(field: "url", problem: error.problem)], message: "url: \(error)")
        }
        let count = try db.value("SELECT COUNT(*) FROM notification_webhook WHERE store_id = ?", [command.storeID], as: Int.self) ?? 0
        guard count < Self.maxPerStore else {
            throw ErrorBody(code: .conflict, message: "store \(command.storeID) has \(Self.maxPerStore) webhooks already: remove one first")
        }
        // Random, not from the message id: ids of different senders' messages may meet.
        let webhookID = "wh-" + WebhookSignature.randomHex(bytes: 8)
        let secret = WebhookSignature.newSecret()
        let sealed = try secrets.seal(secret, context: WebhookSignature.sealContext(storeID: command.storeID, webhookID: webhookID))
        let types = Array(Set(command.eventTypes)).sorted()
        try db.execute("""
            INSERT INTO notification_webhook (webhook_id, store_id, url, description, secret_sealed, created_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [webhookID, command.storeID, command.url, command.description, sealed, context.sender.userID, context.now])
        for type in types {
            try db.execute("INSERT INTO notification_webhook_type (webhook_id, event_type, store_id) VALUES (?, ?, ?)",
                           [webhookID, type, command.storeID])
        }
        let webhook = NotificationWebhook(webhookID: webhookID, storeID: command.storeID, url: command.url, eventTypes: types,
                                          description: command.description, createdAt: context.now)
        return NotificationWebhookAdded(webhook: webhook, secret: secret)
    }

    func remove(_ db: SQLDatabase, _ command: NotificationWebhookRemove, _ context: HandlerContext) throws -> NotificationWebhookRemoved {
        let removed = try db.execute("DELETE FROM notification_webhook WHERE webhook_id = ? AND store_id = ?",
                                     [command.webhookID, command.storeID])
        guard removed > 0 else {
            throw ErrorBody(code: .notFound, message: "store \(command.storeID) has no webhook \(command.webhookID)")
        }
        try db.execute("DELETE FROM notification_webhook_type WHERE webhook_id = ?", [command.webhookID])
        return NotificationWebhookRemoved(webhookID: command.webhookID)
    }

    func list(_ db: SQLDatabase, _ query: NotificationWebhookList, _ context: HandlerContext) throws -> NotificationWebhookListResult {
        let rows = try db.rows("""
            SELECT webhook_id, store_id, url, description, created_at FROM notification_webhook
            WHERE store_id = ? ORDER BY created_at, webhook_id
            """, [query.storeID])
        return NotificationWebhookListResult(webhooks: try rows.map { row in
            let id: String = row["webhook_id"]
            return NotificationWebhook(
                webhookID: id, storeID: row["store_id"], url: row["url"],
                eventTypes: try db.column("SELECT event_type FROM notification_webhook_type WHERE webhook_id = ? ORDER BY event_type",
                                          [id], as: String.self),
                description: row["description"], createdAt: row["created_at"], lastDelivery: try Self.lastDelivery(db, webhookID: id))
        })
    }

    static func lastDelivery(_ db: SQLDatabase, webhookID: String) throws -> NotificationWebhook.LastDelivery? {
        guard let row = try db.row("""
            SELECT event_id, event_type, state, attempts, http_status, reason, created_at, completed_at
            FROM notification_webhook_delivery WHERE webhook_id = ? ORDER BY created_at DESC, delivery_id DESC LIMIT 1
            """, [webhookID]) else { return nil }
        let created: Date = row["created_at"]
        let completed: Date? = row["completed_at"]
        return NotificationWebhook.LastDelivery(
            eventID: row["event_id"], eventType: row["event_type"],
            state: NotificationWebhook.LastDelivery.State(rawValue: row["state"]) ?? .pending,
            attempts: row["attempts"], httpStatus: row["http_status"], reason: row["reason"], at: completed ?? created)
    }
}
