import Contracts
import Foundation
import SQLStore
import WorkerKit

/// Shop orders on the client's account with the store's default provider: `order.attributed`
/// makes an expense, `order.status_changed` to `paid` a payment credited over it, `canceled`,
/// `returned` or `refused` reverse both. `billing_order` keeps whatever arrived first, so the
/// events may come in any order; the latest status (by `changed_at`) decides, and the expense and
/// payment are made once each (their ids are the order's).
enum OrderBilling {
    static let reversing: Set<String> = ["canceled", "returned", "refused"]

    static func attributed(_ db: SQLDatabase, _ order: OrderAttributed, _ context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO billing_order (store_id, order_id, client_id, amount, currency, placed_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET client_id = excluded.client_id, amount = excluded.amount,
                currency = excluded.currency, placed_at = excluded.placed_at
            WHERE billing_order.client_id IS NULL
            """, [order.storeID, order.orderID, order.clientID, order.total.amount, order.total.currency, order.placedAt])
        try settle(db, storeID: order.storeID, orderID: order.orderID, context: context)
    }

    static func statusChanged(_ db: SQLDatabase, _ change: OrderStatusChanged, _ context: HandlerContext) throws {
        let changed = try db.execute("""
            INSERT INTO billing_order (store_id, order_id, status, status_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id, order_id) DO UPDATE SET status = excluded.status, status_changed_at = excluded.status_changed_at
            WHERE billing_order.status_changed_at IS NULL OR billing_order.status_changed_at < excluded.status_changed_at
            """, [change.storeID, change.orderID, change.status.rawValue, change.changedAt])
        if changed > 0 { try settle(db, storeID: change.storeID, orderID: change.orderID, context: context) }
    }

    /// Brings the order's expense and payment to what its latest status says.
    static func settle(_ db: SQLDatabase, storeID: String, orderID: String, context: HandlerContext) throws {
        guard let order = try db.row("SELECT * FROM billing_order WHERE store_id = ? AND order_id = ?" + db.forUpdate,
                                     [storeID, orderID]),
              let client = order["client_id"] as String? else { return }
        let status: String? = order["status"]
        let reversed = status.map(reversing.contains) ?? false
        var expenseID: String? = order["expense_id"]
        if expenseID == nil, !reversed {
            let account = try Self.account(db, order: order, client: client, context: context)
            let id = "order-\(storeID)-\(orderID)"
            _ = try Expenses.record(db, account: account, id: id, amount: Money(amount: order["amount"], currency: order["currency"]),
                                    description: "order \(orderID)", productType: "order", date: order["placed_at"], orderID: orderID,
                                    context: context)
            try db.execute("UPDATE billing_order SET expense_id = ?, account_id = ? WHERE store_id = ? AND order_id = ?",
                           [id, account.accountID, storeID, orderID])
            expenseID = id
        }
        guard let expenseID else { return }
        let expense = try Expenses.require(db, storeID: storeID, id: expenseID)
        let account = try Account.require(db, storeID: storeID, accountID: expense["account_id"], forUpdate: true)
        let paymentID: String? = order["payment_id"]
        if status == "paid", paymentID == nil {
            let id = "order-\(storeID)-\(orderID)-paid"
            try Payments.insert(db, account: account, id: id, amount: expense["total"], method: "shop", description: "order \(orderID)",
                                orderID: orderID, expenseIDs: [expenseID], context: context)
            try Payments.credit(db, account: account, row: Payments.require(db, storeID: storeID, id: id), context: context)
            try db.execute("UPDATE billing_order SET payment_id = ? WHERE store_id = ? AND order_id = ?", [id, storeID, orderID])
        }
        if reversed {
            if let paymentID { try Payments.reverse(db, account: account, id: paymentID, context: context) }
            if !(expense["deleted"] as Bool) {
                let fresh = try Account.require(db, storeID: storeID, accountID: account.accountID, forUpdate: true)
                try Expenses.cancel(db, account: fresh, row: expense, context: context)
            }
        }
    }

    /// The active account of the client (or whoever it was merged into) with the store's default
    /// provider; opened (postpay) when the client has none, so that an order is never lost.
    static func account(_ db: SQLDatabase, order: SQLRow, client: String, context: HandlerContext) throws -> Account {
        let storeID: String = order["store_id"]
        guard let provider = try ProviderHandlers.defaultProvider(db, storeID: storeID) else {
            throw ErrorBody(code: .conflict, message: "store \(storeID) has no default provider to bill orders with",
                            details: [ErrorDetail(field: "store_id", problem: "no_default_provider")])
        }
        let owner = try BillingClientCopy.owner(db, storeID: storeID, clientID: client)
        if let id = try AccountHandlers.activeAccount(db, storeID: storeID, clientID: owner, providerID: provider.providerID) {
            return try Account.require(db, storeID: storeID, accountID: id, forUpdate: true)
        }
        var account = Account(accountID: RandomID.uuid(), storeID: storeID, clientID: owner, providerID: provider.providerID,
                              currency: provider.currency, createdAt: context.now, createdBy: context.sender.userID)
        account.postpay = true
        try account.insert(db)
        try ChangeLog.record(db, storeID: storeID, accountID: account.accountID, field: "opened", old: nil,
                             new: "\(provider.providerID) \(provider.currency) for order \(order["order_id"] as String)", context: context)
        return account
    }
}
