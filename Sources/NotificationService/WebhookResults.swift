import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `notification.webhook.completed`, from the effect runner: how one delivery ended, recorded on
/// its row (shown as the endpoint's `last_delivery` in `notification.webhook.list`).
enum WebhookResults {
    static func completed(_ db: SQLDatabase, _ done: NotificationWebhookCompleted, _ context: HandlerContext) throws {
        let (state, reason): (NotificationWebhook.LastDelivery.State, String?) = switch done.result?.httpStatus {
        case let status? where (200..<300).contains(status): (.delivered, nil)
        case let status?: (.failed, "the receiver refused the event: HTTP \(status)")
        case nil: (.failed, done.failure ?? "the call failed")
        }
        // Only a pending row changes: a result handled twice records once.
        try db.execute("""
            UPDATE notification_webhook_delivery SET state = ?, attempts = ?, http_status = ?, reason = ?, completed_at = ?
            WHERE delivery_id = ? AND state = 'pending'
            """, [state.rawValue, done.attempts, done.result?.httpStatus, reason, done.completedAt, done.payload.deliveryID])
    }
}
