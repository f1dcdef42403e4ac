import Contracts
import Foundation

/// `<service>.outbox.parked`: the outbox messages the broker refused, for `crmctl outbox parked`.
enum OutboxParkedHandler {
    static func register(in registry: inout HandlerRegistry, service: ServiceName) {
        registry.query(service.outboxParkedType, OutboxParkedQuery.self) { db, query, context in
            // What the service failed to send, across every store: for administrators.
            guard context.sender.role == .admin else {
                throw ErrorBody(code: .unauthorized, message: "only an administrator sees the parked outbox",
                                details: [ErrorDetail(field: "user_id", problem: "unauthorized")])
            }
            let rows = try OutboxParking.list(db, limit: query.limit ?? 50)
            return OutboxParkedList(total: try OutboxParking.count(db), messages: rows.map {
                .init(id: $0.id, exchange: $0.exchange, routingKey: $0.routingKey, messageID: $0.messageID,
                      type: $0.type, bodyBytes: $0.bodyBytes, parkedAt: $0.parkedAt, reason: $0.reason)
            })
        }
    }
}
