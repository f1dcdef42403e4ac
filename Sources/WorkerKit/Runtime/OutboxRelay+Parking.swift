import Foundation
import SQLStore
import Messaging

/// A row the broker refuses (too large, a header table that does not fit a frame, an exchange
/// that does not exist, a nack from a full dead queue) must not hold up the rows behind it:
/// it is moved to `outbox_parked` with the broker's reason, counted, and shown by `crmctl`.
extension OutboxRelay {
    /// Errors that may be the broker refusing one message rather than the broker going away.
    static func mayBeRefusal(_ error: AMQPError) -> Bool {
        switch error {
        case .nacked: return true
        case .brokerClosed(_, let code, _): return refusalCodes.contains(code)
        case .library(let operation, _): return operation == "basic.publish"
        default: return false
        }
    }

    /// content-too-large, no-route, access-refused, not-found, precondition-failed, frame and syntax errors.
    static let refusalCodes: Set<UInt16> = [311, 312, 403, 404, 406, 501, 502, 505]

    /// Publishes each row alone with its confirm, on fresh connections: a refused row is parked,
    /// the others are published and deleted. A library failure is given one more connection
    /// before the row counts as refused; a broker that cannot be reached ends it (thrown).
    func publishOneByOne(_ rows: [OutboxMessage]) throws {
        var connection = try freshConnection()
        defer { connection.close() }
        for row in rows {
            guard let id = row.id else { continue }
            var tries = 0
            while true {
                do {
                    try connection.publish(exchange: row.exchange, routingKey: row.routingKey,
                                           message: row.amqpMessage(appID: service))
                    try connection.waitForConfirms()
                    try database.write { db in _ = try OutboxMessage.delete(db, ids: [id]) }
                    metrics.published.increment()
                    break
                } catch let error as AMQPError where Self.mayBeRefusal(error) {
                    tries += 1
                    connection.close()
                    connection = try freshConnection()
                    if case .library = error, tries < 2 { continue }
                    try park(row, reason: Self.reason(error, row: row))
                    break
                }
            }
        }
    }

    private func freshConnection() throws -> AMQPConnection {
        let connection = try AMQPConnection(url: config.amqpURL)
        try connection.enableConfirms()
        return connection
    }

    private func park(_ row: OutboxMessage, reason: String) throws {
        try database.write { db in try OutboxParking.park(db, id: row.id!, reason: reason, at: Date()) }
        metrics.parked.increment()
        metrics.parkedDepth.set(Int64(try database.read(OutboxParking.count)))
        logger.error("outbox message parked: the broker refused it", metadata: [
            "message_id": "\(row.messageID)", "routing_key": "\(row.routingKey)", "exchange": "\(row.exchange)",
            "reason": "\(reason)",
        ])
    }

    private static func reason(_ error: AMQPError, row: OutboxMessage) -> String {
        switch error {
        case .nacked:
            return "nacked by the broker (a bounded queue such as \(row.routingKey) is full?)"
        default:
            return String("\(error)".prefix(500))
        }
    }
}
