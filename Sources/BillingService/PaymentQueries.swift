import Contracts
import Foundation
import SQLStore
import WorkerKit

/// A payment as answered, its allocation and its history; and the deadlines of unpaid payments
/// when their account's deferment changes.
extension Payments {
    static func view(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingPayment {
        let row = try require(db, storeID: storeID, id: id)
        let amount: Int64 = row["amount"]
        let allocated = try Allocation.allocated(db, paymentID: id)
        return BillingPayment(
            storeID: storeID, paymentID: id, accountID: row["account_id"], amount: Money(amount: amount, currency: row["currency"]),
            state: row["state"], method: row["method"], description: row["description"], orderID: row["order_id"],
            expenseIDs: expenseIDs(row), dueAt: row["due_at"], blockAt: row["block_at"], allocated: allocated,
            unallocated: (row["state"] as String) == "paid" ? amount - allocated : 0, createdAt: row["created_at"],
            createdBy: row["created_by"], updatedAt: row["updated_at"], paidAt: row["paid_at"])
    }

    static func allocation(_ db: SQLDatabase, _ query: BillingPaymentRef, _ context: HandlerContext) throws -> BillingAllocationResult {
        let payment = try view(db, storeID: query.storeID, id: query.paymentID)
        let lines = try db.rows("SELECT expense_id, amount FROM billing_allocation WHERE payment_id = ? ORDER BY allocated_at, expense_id",
                                [query.paymentID]).map { BillingAllocationLine(expenseID: $0["expense_id"], amount: $0["amount"]) }
        return BillingAllocationResult(paymentID: query.paymentID, amount: payment.amount, allocated: payment.allocated,
                                       unallocated: payment.amount.amount - payment.allocated, lines: lines)
    }

    static func history(_ db: SQLDatabase, _ query: BillingPaymentRef, _ context: HandlerContext) throws -> BillingHistoryResult {
        _ = try require(db, storeID: query.storeID, id: query.paymentID)
        return try ChangeLog.history(db, storeID: query.storeID, subjectID: query.paymentID)
    }
}

enum PaymentDeadlines {
    /// Unpaid payments take the account's new deferment, counted from their creation as before.
    static func recompute(_ db: SQLDatabase, account: Account) throws {
        let rows = try db.rows("SELECT payment_id, created_at FROM billing_payment WHERE account_id = ? AND state = 'unpaid'",
                               [account.accountID])
        for row in rows {
            let deadlines = account.deadlines(createdAt: row["created_at"])
            try db.execute("UPDATE billing_payment SET due_at = ?, block_at = ? WHERE payment_id = ?",
                           [deadlines.due, deadlines.block, row["payment_id"] as String])
        }
    }
}
