import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `notification.webhook.completed`, from the effect runner: how one delivery ended, recorded on
/// its row (shown as the endpoint's `last_delivery` in `notification.webhook.list`) and announced
/// like any other delivery, as `notification.delivered` or `notification.failed` (channel `webhook`).
enum WebhookResults {
    static func completed(_ db: SQLDatabase, _ done: NotificationWebhookCompleted, _ context: HandlerContext) throws {
        let (state, reason): (NotificationWebhook.LastDelivery.State, String?) = switch done.result?.httpStatus {
        case let status? where (200..<300).contains(status): (.delivered, nil)
        case let status?: (.failed, "the receiver refused the event: HTTP \(status)")
        case nil: (.failed, done.failure ?? "the call failed")
        }
        // Only a pending row changes: a result handled twice records (and announces) once.
        let changed = try db.execute("""
            UPDATE notification_webhook_delivery SET state = ?, attempts = ?, http_status = ?, reason = ?, completed_at = ?
            WHERE delivery_id = ? AND state = 'pending'
            """, [state.rawValue, done.attempts, done.result?.httpStatus, reason, done.completedAt, done.payload.deliveryID])
        guard changed > 0 else { return }
        let call = done.payload
        let url = try db.value("SELECT url FROM notification_webhook WHERE webhook_id = ?", [call.webhookID], as: String.self)
        let outcome = NotificationOutcome(
            storeID: call.storeID, deliveryID: call.deliveryID, channel: .webhook,
            recipient: url.map(withoutQuery) ?? call.webhookID, clientID: nil,
            template: call.eventType, category: .transactional, attempts: done.attempts, reason: reason, at: done.completedAt,
            webhookID: call.webhookID, eventID: call.eventID, eventType: call.eventType)
        try context.publish(event: outcome, type: state == .delivered ? "notification.delivered" : "notification.failed")
    }

    /// The endpoint without its query and fragment: a receiver's token there stays out of events.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }
}
