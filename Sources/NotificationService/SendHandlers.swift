import Contracts
import SQLStore
import WorkerKit

/// `notification.send` and `notification.deliveries`.
struct SendHandlers: Sendable {
    let dispatcher: Dispatcher
    static let defaultLimit = 50

    /// Answered at once with the delivery; its outcome comes as an event.
    func send(_ db: SQLDatabase, _ command: NotificationSend, _ context: HandlerContext) throws -> NotificationSendResult {
        try dispatcher.dispatch(db, Dispatch(
            storeID: command.storeID, channel: command.channel, recipient: command.recipient, clientID: command.clientID,
            template: command.template, locale: command.locale, params: command.params ?? [:], category: command.category,
            attachments: command.attachments ?? [], originKey: context.messageID), context)
    }

    func deliveries(_ db: SQLDatabase, _ query: NotificationDeliveriesQuery, _ context: HandlerContext) throws -> NotificationDeliveriesResult {
        let limit = min(max(query.limit ?? Self.defaultLimit, 1), 500)
        let rows: [SQLRow]
        if let id = query.deliveryID {
            rows = try db.rows("SELECT * FROM notification_delivery WHERE store_id = ? AND delivery_id = ?", [query.storeID, id])
        } else if let client = query.clientID {
            rows = try db.rows("""
                SELECT * FROM notification_delivery WHERE store_id = ? AND client_id = ? ORDER BY created_at DESC LIMIT ?
                """, [query.storeID, client, limit])
        } else if let raw = query.recipient {
            // Stored in one spelling: the recipient is looked up as a send would have written it.
            let recipient = EmailAddress.normalize(raw) ?? PhoneNumber.normalize(raw) ?? raw
            rows = try db.rows("""
                SELECT * FROM notification_delivery WHERE store_id = ? AND recipient = ? ORDER BY created_at DESC LIMIT ?
                """, [query.storeID, recipient, limit])
        } else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "delivery_id", problem: "required")])
        }
        return NotificationDeliveriesResult(deliveries: try rows.map(DeliveryLog.record).map { d in
            NotificationDeliveriesResult.Delivery(
                deliveryID: d.deliveryID, channel: d.channel, recipient: d.recipient, clientID: d.clientID, template: d.template,
                locale: d.locale, category: d.category, status: d.status, reason: d.reason, createdAt: d.createdAt,
                completedAt: d.completedAt, attempts: try DeliveryLog.attempts(db, deliveryID: d.deliveryID))
        })
    }
}
