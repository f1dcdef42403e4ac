import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing_ledger`: every movement of an account, signed (expenses take off, payments add), in the
/// account's currency. Entries are only added: a changed expense adds the difference, a deleted one
/// or a reversed payment adds its opposite. The balance is their sum, and nothing else.
enum Ledger {
    enum Kind: String {
        case expense, expenseChange = "expense_change", expenseDeleted = "expense_deleted"
        case payment, paymentReversed = "payment_reversed", withdrawal
        case mergeJoined = "merge_joined", mergeSplit = "merge_split"
    }

    /// `currency` must be the account's: two currencies are never added. `home`: the account the
    /// movement belongs to when it is written into the account its ledger was joined into.
    static func append(_ db: SQLDatabase, account: Account, kind: Kind, amount: Int64, currency: String, ref: String?,
                       note: String? = nil, home: String? = nil, at: Date, context: HandlerContext) throws {
        guard currency == account.currency else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "currency", problem: "currency_mismatch")],
                                             message: "account \(account.accountID) is in \(account.currency), not \(currency)")
        }
        try db.execute("""
            INSERT INTO billing_ledger (store_id, account_id, home_account_id, kind, amount, currency, ref_id, note, at,
                recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [account.storeID, account.accountID, home ?? account.accountID, kind.rawValue, amount, currency, ref, note, at,
                  context.now, context.sender.userID])
    }

    /// The ledger's sum. An account whose entries were in two currencies would be a fault: refused, never added.
    static func balance(_ db: SQLDatabase, account: Account) throws -> Money {
        let rows = try db.rows("SELECT currency, SUM(amount) AS total FROM billing_ledger WHERE account_id = ? GROUP BY currency",
                               [account.accountID])
        guard rows.count <= 1 else {
            throw ErrorBody(code: .internal, message: "the ledger of \(account.accountID) holds several currencies")
        }
        guard let row = rows.first else { return Money(amount: 0, currency: account.currency) }
        return Money(amount: row["total"], currency: row["currency"])
    }

    /// What the expenses of the last 365 days came to (their changes and deletions included).
    static func yearlyTurnover(_ db: SQLDatabase, account: Account, now: Date) throws -> Money {
        let sum = try db.value("""
            SELECT COALESCE(SUM(amount), 0) FROM billing_ledger
            WHERE account_id = ? AND kind IN ('expense', 'expense_change', 'expense_deleted') AND at >= ?
            """, [account.accountID, now.addingTimeInterval(-365 * 86_400)], as: Int64.self) ?? 0
        return Money(amount: -sum, currency: account.currency)
    }
}
