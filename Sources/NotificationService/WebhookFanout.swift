import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Turns each event of a subscribed type into one signed POST per endpoint of its store: a
/// delivery row (with the body to send) and a `notification.webhook` effect, in the event's own
/// transaction, so a batch rolled back and run again posts once. The event's message id is its
/// `X-CRM-Event-ID`: the inbox reads each message once, and (endpoint, event id) is unique.
enum WebhookFanout {
    /// The event types the service consumes for webhooks: every domain event another service or a
    /// shop publishes (or will: billing's and dedupe's). An endpoint may list other types;
    /// they are delivered once their type is added here with its schema. The service's own
    /// `notification.*` events are not: two systems answering each other's webhooks would loop.
    static let deliverableTypes = [
        "client.created", "client.updated", "client.deleted", "client.restored", "client.merged", "client.unmerged",
        "client.tie_recorded",
        "order.placed", "order.status_changed", "order.attributed", "reliability.checked", "store.updated",
        "billing.invoice.issued", "billing.account.blocked", "billing.account.unblocked", "dedupe.run.completed",
    ]
    /// Attempts of a delivery when the store set none (`notification_settings.max_attempts`).
    static let defaultMaxAttempts = 5

    static func deliver(_ db: SQLDatabase, _ event: JSONValue, _ context: HandlerContext) throws {
        guard let storeID = store(of: event) else { return }  // no store, no store's endpoint
        let endpoints = try db.column("""
            SELECT webhook_id FROM notification_webhook_type WHERE store_id = ? AND event_type = ? ORDER BY webhook_id
            """, [storeID, context.type], as: String.self)
        guard !endpoints.isEmpty else { return }
        let body = String(decoding: try JSONCoding.encoder.encode(envelope(event, storeID: storeID, context)), as: UTF8.self)
        let attempts = try maxAttempts(db, storeID: storeID)
        for webhookID in endpoints {
            let deliveryID = "whd-" + WebhookSignature.randomHex(bytes: 8)
            let inserted = try db.execute("""
                INSERT INTO notification_webhook_delivery (delivery_id, webhook_id, store_id, event_id, event_type, body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (webhook_id, event_id) DO NOTHING
                """, [deliveryID, webhookID, storeID, context.messageID, context.type, body, context.now])
            guard inserted > 0 else { continue }
            try context.record(effect: WebhookPerformer.kind,
                               payload: NotificationWebhookCall(storeID: storeID, webhookID: webhookID, deliveryID: deliveryID,
                                                                eventID: context.messageID, eventType: context.type),
                               maxAttempts: attempts)
        }
    }

    /// What is posted: the event under `data`, with its id and type beside it. The id is in the
    /// signed body so that a receiver refusing seen ids cannot be fooled by a changed header.
    static func envelope(_ event: JSONValue, storeID: String, _ context: HandlerContext) -> JSONValue {
        .object(["id": .string(context.messageID), "type": .string(context.type), "store_id": .string(storeID),
                 "received_at": .string(RFC3339.string(from: context.now)), "data": event])
    }

    /// `store_id` at the top, or in the card a client event carries (`client.created/updated`).
    static func store(of event: JSONValue) -> String? {
        event["store_id"]?.stringValue ?? event["client"]?["store_id"]?.stringValue
    }

    /// The store's attempt limit from the service's settings table, when it has one.
    static func maxAttempts(_ db: SQLDatabase, storeID: String) throws -> Int {
        // In a savepoint: a missing table fails the statement, and PostgreSQL then refuses the
        // rest of the transaction unless it is undone.
        let stored = try? db.savepoint {
            try db.value("SELECT max_attempts FROM notification_settings WHERE store_id = ?", [storeID], as: Int.self)
        }
        return max(1, stored ?? defaultMaxAttempts)
    }
}
