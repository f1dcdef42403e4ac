import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.service.add/update/list`: a client's services with the account's provider. A service
/// added to a blocked account starts suspended; one an operator suspends or closes is never
/// resumed by an unblock (only those the block suspended are).
enum Services {
    static func add(_ db: SQLDatabase, _ command: BillingServiceAdd, _ context: HandlerContext) throws -> BillingServiceView {
        let account = try Account.require(db, storeID: command.storeID, accountID: command.accountID, forUpdate: true)
        try account.requireWritable()
        guard command.price.currency == account.currency else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "price.currency", problem: "currency_mismatch")],
                                             message: "account \(account.accountID) is in \(account.currency)")
        }
        let id = command.serviceID ?? RandomID.uuid()
        if try db.value("SELECT 1 FROM billing_service WHERE service_id = ?", [id], as: Int.self) != nil {
            throw ErrorBody(code: .conflict, message: "service \(id) exists", details: [ErrorDetail(field: "service_id", problem: "taken")])
        }
        try db.execute("""
            INSERT INTO billing_service (service_id, store_id, account_id, home_account_id, name, tariff, price, currency, period,
                state, suspended_by_block, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, account.storeID, account.accountID, account.accountID, command.name, command.tariff, command.price.amount,
                  command.price.currency, command.period ?? "month", account.blocked ? "suspended" : "active", account.blocked,
                  context.now, context.now, context.sender.userID])
        return try view(db, storeID: command.storeID, id: id)
    }

    static func update(_ db: SQLDatabase, _ command: BillingServiceUpdate, _ context: HandlerContext) throws -> BillingServiceView {
        let old = try view(db, storeID: command.storeID, id: command.serviceID)
        let account = try Account.require(db, storeID: command.storeID, accountID: old.accountID, forUpdate: true)
        if let price = command.price, price.currency != account.currency {
            throw ErrorBody.validationFailed([ErrorDetail(field: "price.currency", problem: "currency_mismatch")])
        }
        var state = command.state ?? old.state
        var byBlock = old.suspendedByBlock && state == "suspended"
        if old.state == "closed", state != "closed" {
            throw ErrorBody(code: .conflict, message: "service \(command.serviceID) is closed",
                            details: [ErrorDetail(field: "state", problem: "closed")])
        }
        // A blocked account's services stay suspended until it is unblocked.
        if state == "active", account.blocked { state = "suspended"; byBlock = true }
        if command.state == "suspended" { byBlock = false }
        try db.execute("""
            UPDATE billing_service SET name = ?, tariff = ?, price = ?, period = ?, state = ?, suspended_by_block = ?,
                updated_at = ?, updated_by = ? WHERE service_id = ?
            """, [command.name ?? old.name, command.tariff ?? old.tariff, command.price?.amount ?? old.price.amount,
                  command.period ?? old.period, state, byBlock, context.now, context.sender.userID, command.serviceID])
        return try view(db, storeID: command.storeID, id: command.serviceID)
    }

    static func list(_ db: SQLDatabase, _ query: BillingServiceList, _ context: HandlerContext) throws -> BillingServiceListResult {
        _ = try Account.require(db, storeID: query.storeID, accountID: query.accountID)
        let rows = try db.rows("SELECT * FROM billing_service WHERE account_id = ? ORDER BY created_at, service_id", [query.accountID])
        return BillingServiceListResult(services: rows.map(view(row:)))
    }

    static func view(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingServiceView {
        guard let row = try db.row("SELECT * FROM billing_service WHERE service_id = ? AND store_id = ?", [id, storeID]) else {
            throw ErrorBody(code: .notFound, message: "no service \(id) in store \(storeID)",
                            details: [ErrorDetail(field: "service_id", problem: "not_found")])
        }
        return view(row: row)
    }

    static func view(row: SQLRow) -> BillingServiceView {
        BillingServiceView(storeID: row["store_id"], serviceID: row["service_id"], accountID: row["account_id"], name: row["name"],
                           tariff: row["tariff"], price: Money(amount: row["price"], currency: row["currency"]),
                           period: row["period"], state: row["state"], suspendedByBlock: row["suspended_by_block"],
                           updatedAt: row["updated_at"], updatedBy: row["updated_by"])
    }
}
