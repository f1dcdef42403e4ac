import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `reliability.get`: the statistics of a client's orders, the last external check and the local
/// trust level. Computed from `rel_order` on each call: a client has few orders, and no running
/// counters can drift from the rows they count.
enum RatingQuery {
    static func get(_ db: SQLDatabase, _ query: ReliabilityGet, _ context: HandlerContext) throws -> ReliabilityRating {
        let clientID = try resolveClient(db, query)
        // Only the asking store's orders: another store's client is not found, like an unknown one.
        let rows = try db.rows("""
            SELECT store_id, status, payment_method, total_amount, total_currency, placed_at, phone
            FROM rel_order WHERE client_id = ? AND store_id = ?
            """, [clientID, query.storeID])
        guard let storeID: String = rows.first?["store_id"] else {
            throw ErrorBody(code: .notFound, message: "no orders are known for client \(clientID)")
        }
        let settings = try ReliabilitySettings.load(db, storeID: storeID)
        var history = TrustPolicy.History()
        var purchases: [String: Int64] = [:]
        var placed: [String] = []
        var lastPhone: (at: String, phone: String)?
        for row in rows {
            if let phone: String = row["phone"], let at: String = row["placed_at"], at >= (lastPhone?.at ?? "") {
                lastPhone = (at, phone)
            }
            let status = OrderStatus(rawValue: row["status"]) ?? .new
            let cod = (row["payment_method"] as String?) == PaymentMethod.cashOnDelivery.rawValue
            if let at: String = row["placed_at"] { placed.append(at) }
            switch status {
            case .completed, .delivered:
                history.completed += 1
                if cod { history.codFinished += 1 }
                if let amount: Int64 = row["total_amount"], let currency: String = row["total_currency"] {
                    purchases[currency, default: 0] += amount
                }
            case .refused, .returned:
                if status == .refused { history.refused += 1 } else { history.returned += 1 }
                if cod { history.codFinished += 1; history.codFailed += 1 }
            case .canceled: history.canceled += 1
            case .new, .processing, .paid, .shipped: history.unfinished += 1
            }
        }
        let finished = history.completed + history.refused + history.returned
        let show = settings.showEmptyParams
        func count(_ n: Int) -> Int? { show || n > 0 ? n : nil }
        placed.sort()
        let stats = ReliabilityStats(
            orders: count(rows.count),
            purchases: show || !purchases.isEmpty
                ? purchases.sorted { $0.key < $1.key }.map { Money(amount: $0.value, currency: $0.key) } : nil,
            canceled: count(history.canceled), unfinished: count(history.unfinished),
            completed: count(history.completed), refused: count(history.refused), returned: count(history.returned),
            redemptionRate: finished > 0 ? (Double(history.completed) / Double(finished) * 10_000).rounded() / 10_000 : (show ? 0 : nil),
            firstOrderAt: placed.first.flatMap(RFC3339.date(from:)), lastOrderAt: placed.last.flatMap(RFC3339.date(from:)))
        let external = try lastPhone.flatMap { try StoredCheck.load(db, storeID: storeID, phone: $0.phone) }
            .map { ExternalCheckResult(status: $0.status, checkedAt: $0.checkedAt) }
        return ReliabilityRating(clientID: clientID, stats: stats, external: external, trust: TrustPolicy.assess(history))
    }

    private static func resolveClient(_ db: SQLDatabase, _ query: ReliabilityGet) throws -> String {
        if let clientID = query.clientID { return clientID }
        let storeID = query.storeID
        guard let orderID = query.orderID else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "client_id", problem: "required")])
        }
        let clientID = try db.value("SELECT client_id FROM rel_order WHERE store_id = ? AND order_id = ?",
                                    [storeID, orderID], as: String.self)
        guard let clientID else {
            throw ErrorBody(code: .notFound, message: "order \(orderID) of store \(storeID) is not attributed to a client yet")
        }
        return clientID
    }
}
