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
        let expenses = command.expenseIDs ?? []
        let chosen: (owed: Int64, home: String)
        let amount: Int64
        do {
            chosen = try Self.chosen(db, account: account, expenseIDs: expenses)
            amount = try Self.amount(command.amount, default: chosen.owed, account: account)
        } catch let error as ErrorBody {
            // A taken id is told before a bad choice of expenses, as when the id was read first.
            if try db.value("SELECT 1 FROM billing_payment WHERE payment_id = ?", [id], as: Int.self) != nil { throw taken(id) }
            throw error
        }
        // Otherwise a taken id is refused by the insert (no read before it).
        let payment = try insert(db, account: account, id: id, amount: amount, method: command.method, description: command.description,
                                 orderID: nil, expenseIDs: expenses, home: chosen.home, context: context)
        try Blocking.evaluate(db, account: account, context: context)
        return payment
    }

    /// Writes an unpaid payment (refused as `conflict` when its id is taken) and answers it as
    /// written, without reading it back. `home`: the expenses' home account when the caller read it.
    @discardableResult
    static func insert(_ db: SQLDatabase, account: Account, id: String, amount: Int64, method: String?, description: String?,
                       orderID: String?, expenseIDs: [String], home: String? = nil, context: HandlerContext) throws -> BillingPayment {
        let deadlines = account.deadlines(createdAt: context.now)
        let ids = ExpenseIDList.text(expenseIDs)
        let home = try home ?? Self.home(db, account: account, expenseIDs: expenseIDs)
        let inserted = try db.execute("""
            INSERT INTO billing_payment (payment_id, store_id, account_id, home_account_id, amount, currency, state, method,
                description, order_id, expense_ids, due_at, block_at, created_at, created_by, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'unpaid', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (payment_id) DO NOTHING
            """, [id, account.storeID, account.accountID, home, amount, account.currency, method, description, orderID,
                  ids, deadlines.due, deadlines.block, context.now, context.sender.userID, context.now])
        guard inserted == 1 else { throw taken(id) }
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, subject: "payment", subjectID: id,
                             field: "created", old: nil, new: "\(amount) \(account.currency)", context: context)
        let at = SQLTime.stored(context.now)
        return BillingPayment(
            storeID: account.storeID, paymentID: id, accountID: account.accountID, amount: Money(amount: amount, currency: account.currency),
            state: "unpaid", method: method, description: description, orderID: orderID, expenseIDs: expenseIDs,
            dueAt: deadlines.due.map(SQLTime.stored), blockAt: deadlines.block.map(SQLTime.stored), allocated: 0, unallocated: 0,
            createdAt: at, createdBy: context.sender.userID, updatedAt: at, paidAt: nil)
    }

    /// A payment for the expenses of one joined ledger belongs with them: an unmerge takes both back.
    static func home(_ db: SQLDatabase, account: Account, expenseIDs: [String]) throws -> String {
        var homes = Set<String>()
        for id in expenseIDs {
            if let home = try db.value("SELECT home_account_id FROM billing_expense WHERE expense_id = ?", [id], as: String.self) {
                homes.insert(home)
            }
        }
        return homes.count == 1 ? homes.first! : account.accountID
    }

    static func update(_ db: SQLDatabase, _ command: BillingPaymentUpdate, _ context: HandlerContext) throws -> BillingPayment {
        let row = try requireUnpaid(db, storeID: command.storeID, id: command.paymentID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        let oldIDs = expenseIDs(row)
        let expenses = command.expenseIDs ?? oldIDs
        let owed = try Self.chosen(db, account: account, expenseIDs: expenses).owed
        let oldAmount: Int64 = row["amount"]
        let amount = try command.amount.map { try Self.amount($0, default: owed, account: account) }
            ?? (command.expenseIDs != nil ? owed : oldAmount)
        let method: String? = command.method ?? (row["method"] as String?)
        let description: String? = command.description ?? (row["description"] as String?)
        try db.execute("""
            UPDATE billing_payment SET amount = ?, method = ?, description = ?, expense_ids = ?, updated_at = ? WHERE payment_id = ?
            """, [amount, method, description, ExpenseIDList.text(expenses), context.now,
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
        let allocated = try credit(db, account: account, row: row, context: context)
        // What `view` would read back, from the row read above and what crediting changed.
        let amount: Int64 = row["amount"]
        let at = SQLTime.stored(context.now)
        return BillingPayment(
            storeID: command.storeID, paymentID: command.paymentID, accountID: row["account_id"],
            amount: Money(amount: amount, currency: row["currency"]), state: "paid", method: row["method"],
            description: row["description"], orderID: row["order_id"], expenseIDs: expenseIDs(row), dueAt: row["due_at"],
            blockAt: row["block_at"], allocated: allocated, unallocated: amount - allocated, createdAt: row["created_at"],
            createdBy: row["created_by"], updatedAt: at, paidAt: at)
    }

    /// Enters an unpaid payment in the ledger and allocates it over its expenses; returns what was allocated.
    @discardableResult
    static func credit(_ db: SQLDatabase, account: Account, row: SQLRow, context: HandlerContext) throws -> Int64 {
        let id: String = row["payment_id"]
        let amount: Int64 = row["amount"]
        // The state and the time it was paid in one statement.
        try db.execute("UPDATE billing_payment SET state = 'paid', paid_at = ?, updated_at = ? WHERE payment_id = ?",
                       [context.now, context.now, id])
        try ChangeLog.record(db, storeID: account.storeID, accountID: account.accountID, subject: "payment", subjectID: id,
                             field: "state", old: "unpaid", new: "paid", context: context)
        try Ledger.append(db, account: account, kind: .payment, amount: amount, currency: row["currency"], ref: id,
                          home: row["home_account_id"] as String, at: context.now, context: context)
        let allocated = try Allocation.allocate(db, paymentID: id, storeID: row["store_id"], amount: amount, expenseIDs: expenseIDs(row), at: context.now)
        try Blocking.evaluate(db, account: account, context: context)
        return allocated
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

    /// What the chosen expenses still owe, and the account a payment for them belongs with (their
    /// home when they share one: an unmerge takes both back); each must be a live expense of the account.
    /// One read per expense, its paid part included.
    static func chosen(_ db: SQLDatabase, account: Account, expenseIDs: [String]) throws -> (owed: Int64, home: String) {
        guard Set(expenseIDs).count == expenseIDs.count else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "expense_ids", problem: "duplicate")])
        }
        var owed: Int64 = 0
        var homes = Set<String>()
        for (index, id) in expenseIDs.enumerated() {
            guard let row = try db.row(Expenses.owingSQL + " AND e.account_id = ?", [id, account.accountID]),
                  !(row["deleted"] as Bool) else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "expense_ids[\(index)]", problem: "not_found")],
                                                 message: "no live expense \(id) on account \(account.accountID)")
            }
            owed += (row["total"] as Int64) - (row["paid"] as Int64)
            homes.insert(row["home_account_id"])
        }
        return (owed, homes.count == 1 ? homes.first! : account.accountID)
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

    static func taken(_ id: String) -> ErrorBody {
        ErrorBody(code: .conflict, message: "payment \(id) exists", details: [ErrorDetail(field: "payment_id", problem: "taken")])
    }

    static func expenseIDs(_ row: SQLRow) -> [String] {
        ExpenseIDList.ids(row["expense_ids"])
    }
}
