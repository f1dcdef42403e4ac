import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.payment.create/update/delete/credit`: a payment is made for chosen expenses, stays
/// `unpaid` (and may fall overdue) until it is credited; credited, it enters the ledger and is
/// allocated over its expenses (`Allocation`). Deleted only while unpaid; a paid one is reversed
/// (a returned order), never deleted.
enum Payments {
    static func create(_ db: SQLDatabase, _ command: BillingPaymentCreate, _ context: HandlerContext) throws -> BillingPayment {
        let account = try Account.require(db, storeID: command.storeID, accountID: command.accountID, forUpdate: true)
        try account.requireWritable()
        let id = command.paymentID ?? RandomID.uuid()
        if try db.value("SELECT 1 FROM billing_payment WHERE payment_id = ?", [id], as: Int.self) != nil {
            throw ErrorBody(code: .conflict, message: "payment \(id) exists", details: [ErrorDetail(field: "payment_id", problem: "taken")])
        }
        let expenses = command.expenseIDs ?? []
        let owed = try Self.owed(db, account: account, expenseIDs: expenses)
        let amount = try Self.amount(command.amount, default: owed, account: account)
        try insert(db, account: account, id: id, amount: amount, method: command.method, description: command.description,
                   orderID: nil, expenseIDs: expenses, context: context)
        try Blocking.evaluate(db, account: account, context: context)
        return try view(db, storeID: command.storeID, id: id)
    }

    static func insert(_ db: SQLDatabase, account: Account, id: String, amount: Int64, method: String?, description: String?,
                       orderID: String?, expenseIDs: [String], context: HandlerContext) throws {
        let deadlines = account.deadlines(createdAt: context.now)
        let ids = String(decoding: try JSONCoding.encoder.encode(expenseIDs), as: UTF8.self)
        // A payment for the expenses of one joined ledger belongs with them: an unmerge takes both back.
        var homes = Set<String>()
        for id in expenseIDs {
            if let home = try db.value("SELECT home_account_id FROM billing_expense WHERE expense_id = ?", [id], as: String.self) {
                homes.insert(home)
            }
        }
        let home = homes.count == 1 ? homes.first! : account.accountID
        try db.execute("""
            INSERT INTO billing_payment (payment_id, store_id, account_id, home_account_id, amount, currency, state, method,
                description, order_id, expense_ids, due_at, block_at, created_at, created_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'unpaid', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, account.storeID, account.accountID, home, amount, account.currency, method, description, orderID,
                  ids, deadlines.due, deadlines.block, context.now, context.sender.userID, context.now])
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, subject: "payment", subjectID: id,
                             field: "created", old: nil, new: "\(amount) \(account.currency)", context: context)
    }

    static func update(_ db: SQLDatabase, _ command: BillingPaymentUpdate, _ context: HandlerContext) throws -> BillingPayment {
        let row = try requireUnpaid(db, storeID: command.storeID, id: command.paymentID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        let oldIDs = expenseIDs(row)
        let expenses = command.expenseIDs ?? oldIDs
        let owed = try Self.owed(db, account: account, expenseIDs: expenses)
        let oldAmount: Int64 = row["amount"]
        let amount = try command.amount.map { try Self.amount($0, default: owed, account: account) }
            ?? (command.expenseIDs != nil ? owed : oldAmount)
        let method: String? = command.method ?? (row["method"] as String?)
        let description: String? = command.description ?? (row["description"] as String?)
        try db.execute("""
            UPDATE billing_payment SET amount = ?, method = ?, description = ?, expense_ids = ?, updated_at = ? WHERE payment_id = ?
            """, [amount, method, description, String(decoding: try JSONCoding.encoder.encode(expenses), as: UTF8.self), context.now,
                  command.paymentID])
        func log(_ field: String, _ old: String?, _ new: String?) throws {
            guard old != new else { return }
            try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, subject: "payment",
                                 subjectID: command.paymentID, field: field, old: old, new: new, context: context)
        }
        try log("amount", "\(oldAmount)", "\(amount)")
        try log("method", row["method"], method)
        try log("description", row["description"], description)
        try log("expense_ids", oldIDs.joined(separator: ","), expenses.joined(separator: ","))
        return try view(db, storeID: command.storeID, id: command.paymentID)
    }

    static func delete(_ db: SQLDatabase, _ command: BillingPaymentRef, _ context: HandlerContext) throws -> BillingPayment {
        let row = try requireUnpaid(db, storeID: command.storeID, id: command.paymentID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        try setState(db, account: account, id: command.paymentID, from: "unpaid", to: "deleted", context: context)
        try Blocking.evaluate(db, account: account, context: context)
        return try view(db, storeID: command.storeID, id: command.paymentID)
    }

    static func credit(_ db: SQLDatabase, _ command: BillingPaymentRef, _ context: HandlerContext) throws -> BillingPayment {
        let row = try requireUnpaid(db, storeID: command.storeID, id: command.paymentID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        try account.requireWritable()
        try credit(db, account: account, row: row, context: context)
        return try view(db, storeID: command.storeID, id: command.paymentID)
    }

    /// Enters an unpaid payment in the ledger and allocates it over its expenses.
    static func credit(_ db: SQLDatabase, account: Account, row: SQLRow, context: HandlerContext) throws {
        let id: String = row["payment_id"]
        let amount: Int64 = row["amount"]
        try setState(db, account: account, id: id, from: "unpaid", to: "paid", context: context)
        try db.execute("UPDATE billing_payment SET paid_at = ? WHERE payment_id = ?", [context.now, id])
        try Ledger.append(db, account: account, kind: .payment, amount: amount, currency: row["currency"], ref: id,
                          home: row["home_account_id"] as String, at: context.now, context: context)
        try Allocation.allocate(db, paymentID: id, amount: amount, expenseIDs: expenseIDs(row), at: context.now)
        try Blocking.evaluate(db, account: account, context: context)
    }

    /// Takes a paid payment back out of the ledger, with its allocations (a refunded or returned order).
    static func reverse(_ db: SQLDatabase, account: Account, id: String, context: HandlerContext) throws {
        guard let row = try db.row("SELECT * FROM billing_payment WHERE payment_id = ?", [id]) else { return }
        switch row["state"] as String {
        case "unpaid": try setState(db, account: account, id: id, from: "unpaid", to: "deleted", context: context)
        case "paid":
            try setState(db, account: account, id: id, from: "paid", to: "reversed", context: context)
            try db.execute("DELETE FROM billing_allocation WHERE payment_id = ?", [id])
            try Ledger.append(db, account: account, kind: .paymentReversed, amount: -(row["amount"] as Int64),
                              currency: row["currency"], ref: id, home: row["home_account_id"] as String, at: context.now, context: context)
        default: return
        }
        try Blocking.evaluate(db, account: account, context: context)
    }

    static func setState(_ db: SQLDatabase, account: Account, id: String, from: String, to: String, context: HandlerContext) throws {
        try db.execute("UPDATE billing_payment SET state = ?, updated_at = ? WHERE payment_id = ?", [to, context.now, id])
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, subject: "payment", subjectID: id,
                             field: "state", old: from, new: to, context: context)
    }

    /// What the chosen expenses still owe; each must be a live expense of the account.
    static func owed(_ db: SQLDatabase, account: Account, expenseIDs: [String]) throws -> Int64 {
        guard Set(expenseIDs).count == expenseIDs.count else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "expense_ids", problem: "duplicate")])
        }
        var owed: Int64 = 0
        for (index, id) in expenseIDs.enumerated() {
            guard let row = try db.row("SELECT total, deleted FROM billing_expense WHERE expense_id = ? AND account_id = ?",
                                       [id, account.accountID]), !(row["deleted"] as Bool) else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "expense_ids[\(index)]", problem: "not_found")],
                                                 message: "no live expense \(id) on account \(account.accountID)")
            }
            let paid = try Expenses.paidPart(db, id: id)
            owed += (row["total"] as Int64) - paid
        }
        return owed
    }

    static func amount(_ given: Money?, default owed: Int64, account: Account) throws -> Int64 {
        guard let given else {
            guard owed > 0 else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "amount", problem: "required")],
                                                 message: "a payment needs an amount or expenses that still owe")
            }
            return owed
        }
        guard given.currency == account.currency else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount.currency", problem: "currency_mismatch")],
                                             message: "account \(account.accountID) is in \(account.currency)")
        }
        guard given.amount > 0 else { throw ErrorBody.validationFailed([ErrorDetail(field: "amount.amount", problem: "below_minimum")]) }
        return given.amount
    }

    static func require(_ db: SQLDatabase, storeID: String, id: String) throws -> SQLRow {
        guard let row = try db.row("SELECT * FROM billing_payment WHERE payment_id = ? AND store_id = ?", [id, storeID]) else {
            throw ErrorBody(code: .notFound, message: "no payment \(id) in store \(storeID)",
                            details: [ErrorDetail(field: "payment_id", problem: "not_found")])
        }
        return row
    }

    static func requireUnpaid(_ db: SQLDatabase, storeID: String, id: String) throws -> SQLRow {
        let row = try require(db, storeID: storeID, id: id)
        let state: String = row["state"]
        guard state == "unpaid" else {
            throw ErrorBody(code: .conflict, message: "payment \(id) is \(state)", details: [ErrorDetail(field: "payment_id", problem: state)])
        }
        return row
    }

    static func expenseIDs(_ row: SQLRow) -> [String] {
        let text: String = row["expense_ids"]
        return (try? JSONCoding.decoder.decode([String].self, from: Data(text.utf8))) ?? []
    }
}
