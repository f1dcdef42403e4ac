import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.expense.create/update/delete`. The ledger takes the expense's total off the balance;
/// a change adds the difference, a deletion gives the total back. A paid part (allocations) stays:
/// a paid expense is neither cut below what was paid nor deleted.
enum Expenses {
    static func create(_ db: SQLDatabase, _ command: BillingExpenseCreate, _ context: HandlerContext) throws -> BillingExpense {
        let account = try Account.require(db, storeID: command.storeID, accountID: command.accountID, forUpdate: true)
        try account.requireWritable()
        // A taken id is refused by `record`'s insert (no read before it: one statement less per expense).
        return try record(db, account: account, id: command.expenseID, amount: command.amount, description: command.description,
                          productType: command.productType, date: command.date, orderID: nil, promotion: command.promotion,
                          context: context)
    }

    /// Writes a new expense and its ledger entry; shop orders come here too. An id already taken is
    /// refused (`conflict`). Answers the expense as written, without reading it back.
    static func record(_ db: SQLDatabase, account: Account, id: String?, amount: Money, description: String?, productType: String?,
                       date: Date, orderID: String?, promotion: BillingPromotion? = nil,
                       context: HandlerContext) throws -> BillingExpense {
        let id = id ?? RandomID.uuid()
        let charge: ExpenseCharge
        do {
            charge = try ExpenseCharge.charge(db, account: account, amount: amount, productType: productType, date: date,
                                              promotion: promotion)
        } catch let error as ErrorBody {
            // A taken id is told before a pricing error, as when the id was read first.
            if try db.value("SELECT 1 FROM billing_expense WHERE expense_id = ?", [id], as: Int.self) != nil { throw taken(id) }
            throw error
        }
        let inserted = try db.execute("""
            INSERT INTO billing_expense (expense_id, store_id, account_id, home_account_id, original_amount, original_currency,
                converted_amount, discount, tax, total, currency, discount_id, rate_id, tax_rule_id, description, product_type,
                expense_date, order_id, deleted, created_at, created_by, updated_at, updated_by, promotion, promotion_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (expense_id) DO NOTHING
            """, [id, account.storeID, account.accountID, account.accountID, charge.original.amount, charge.original.currency,
                  charge.converted.amount, charge.discount, charge.tax, charge.total.amount, charge.total.currency,
                  charge.discountID, charge.rateID, charge.taxRuleID, description, productType, date, orderID,
                  context.now, context.sender.userID, context.now, context.sender.userID,
                  try Promotions.stored(promotion), charge.promotionID])
        guard inserted == 1 else { throw taken(id) }
        try Ledger.append(db, account: account, kind: .expense, amount: -charge.total.amount, currency: charge.total.currency,
                          ref: id, at: date, context: context)
        try Blocking.evaluate(db, account: account, context: context)
        // What `view` would read back: times as stored (to the millisecond), nothing paid yet.
        let (at, day) = (SQLTime.stored(context.now), SQLTime.stored(date))
        return BillingExpense(
            storeID: account.storeID, expenseID: id, accountID: account.accountID, original: charge.original,
            converted: Money(amount: charge.converted.amount, currency: charge.total.currency), discount: charge.discount, tax: charge.tax,
            total: charge.total, paid: 0, description: description, productType: productType, date: day, orderID: orderID,
            deleted: false, discountID: charge.discountID, promotion: promotion, promotionID: charge.promotionID,
            rateID: charge.rateID, taxRuleID: charge.taxRuleID, createdAt: at, createdBy: context.sender.userID, updatedAt: at, updatedBy: context.sender.userID)
    }

    static func update(_ db: SQLDatabase, _ command: BillingExpenseUpdate, _ context: HandlerContext) throws -> BillingExpense {
        let row = try require(db, storeID: command.storeID, id: command.expenseID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        try account.requireWritable()
        guard !(row["deleted"] as Bool) else { throw deleted(command.expenseID) }
        let oldTotal: Int64 = row["total"]
        let date: Date = command.date ?? row["expense_date"]
        let productType: String? = command.productType ?? (row["product_type"] as String?)
        let amount = command.amount ?? Money(amount: row["original_amount"], currency: row["original_currency"])
        // Priced again under the promotion it has, unless the change names another.
        let promotion = try command.promotion ?? Promotions.promotion(row["promotion"])
        let charge = try ExpenseCharge.charge(db, account: account, amount: amount, productType: productType, date: date,
                                              promotion: promotion)
        let paid = try paidPart(db, id: command.expenseID)
        guard charge.total.amount >= paid else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount", problem: "below_paid")],
                                             message: "expense \(command.expenseID) is paid \(paid) already")
        }
        try db.execute("""
            UPDATE billing_expense SET original_amount = ?, original_currency = ?, converted_amount = ?, discount = ?, tax = ?,
                total = ?, discount_id = ?, rate_id = ?, tax_rule_id = ?, description = ?, product_type = ?, expense_date = ?,
                updated_at = ?, updated_by = ?, promotion = ?, promotion_id = ? WHERE expense_id = ?
            """, [charge.original.amount, charge.original.currency, charge.converted.amount, charge.discount, charge.tax,
                  charge.total.amount, charge.discountID, charge.rateID, charge.taxRuleID,
                  command.description ?? (row["description"] as String?), productType, date, context.now, context.sender.userID,
                  try Promotions.stored(promotion), charge.promotionID, command.expenseID])
        if charge.total.amount != oldTotal {
            try Ledger.append(db, account: account, kind: .expenseChange, amount: oldTotal - charge.total.amount,
                              currency: account.currency, ref: command.expenseID, home: row["home_account_id"] as String, at: date,
                              context: context)
            try Blocking.evaluate(db, account: account, context: context)
        }
        return try view(db, storeID: command.storeID, id: command.expenseID)
    }

    static func delete(_ db: SQLDatabase, _ command: BillingExpenseRef, _ context: HandlerContext) throws -> BillingExpense {
        let row = try require(db, storeID: command.storeID, id: command.expenseID)
        let account = try Account.require(db, storeID: command.storeID, accountID: row["account_id"], forUpdate: true)
        guard !(row["deleted"] as Bool) else { return try view(db, storeID: command.storeID, id: command.expenseID) }
        try cancel(db, account: account, row: row, context: context)
        return try view(db, storeID: command.storeID, id: command.expenseID)
    }

    /// Marks an unpaid expense deleted and gives its total back to the ledger (a reversed order too).
    static func cancel(_ db: SQLDatabase, account: Account, row: SQLRow, context: HandlerContext) throws {
        let id: String = row["expense_id"]
        guard try paidPart(db, id: id) == 0 else {
            throw ErrorBody(code: .conflict, message: "expense \(id) is paid: reverse or change its payment first",
                            details: [ErrorDetail(field: "expense_id", problem: "paid")])
        }
        try db.execute("UPDATE billing_expense SET deleted = TRUE, updated_at = ?, updated_by = ? WHERE expense_id = ?",
                       [context.now, context.sender.userID, id])
        try Ledger.append(db, account: account, kind: .expenseDeleted, amount: row["total"] as Int64, currency: account.currency, ref: id,
                          home: row["home_account_id"] as String, at: row["expense_date"] as Date, context: context)
        try Blocking.evaluate(db, account: account, context: context)
    }

    /// An expense's total, deletion, home account and paid part in one read (`expense_id = ?`).
    static let owingSQL = """
        SELECT e.total, e.deleted, e.home_account_id,
            COALESCE((SELECT SUM(a.amount) FROM billing_allocation a WHERE a.expense_id = e.expense_id), 0) AS paid
        FROM billing_expense e WHERE e.expense_id = ?
        """

    static func paidPart(_ db: SQLDatabase, id: String) throws -> Int64 {
        try db.value("SELECT COALESCE(SUM(amount), 0) FROM billing_allocation WHERE expense_id = ?", [id], as: Int64.self) ?? 0
    }

    static func require(_ db: SQLDatabase, storeID: String, id: String) throws -> SQLRow {
        guard let row = try db.row("SELECT * FROM billing_expense WHERE expense_id = ? AND store_id = ?", [id, storeID]) else {
            throw ErrorBody(code: .notFound, message: "no expense \(id) in store \(storeID)",
                            details: [ErrorDetail(field: "expense_id", problem: "not_found")])
        }
        return row
    }

    static func taken(_ id: String) -> ErrorBody {
        ErrorBody(code: .conflict, message: "expense \(id) exists", details: [ErrorDetail(field: "expense_id", problem: "taken")])
    }

    static func deleted(_ id: String) -> ErrorBody {
        ErrorBody(code: .conflict, message: "expense \(id) is deleted", details: [ErrorDetail(field: "expense_id", problem: "deleted")])
    }

    static func view(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingExpense {
        let row = try require(db, storeID: storeID, id: id)
        let currency: String = row["currency"]
        return BillingExpense(
            storeID: storeID, expenseID: id, accountID: row["account_id"],
            original: Money(amount: row["original_amount"], currency: row["original_currency"]),
            converted: Money(amount: row["converted_amount"], currency: currency), discount: row["discount"], tax: row["tax"],
            total: Money(amount: row["total"], currency: currency), paid: try paidPart(db, id: id),
            description: row["description"], productType: row["product_type"], date: row["expense_date"], orderID: row["order_id"],
            deleted: row["deleted"], discountID: row["discount_id"], promotion: try Promotions.promotion(row["promotion"]),
            promotionID: row["promotion_id"], rateID: row["rate_id"], taxRuleID: row["tax_rule_id"],
            createdAt: row["created_at"], createdBy: row["created_by"], updatedAt: row["updated_at"], updatedBy: row["updated_by"])
    }
}
