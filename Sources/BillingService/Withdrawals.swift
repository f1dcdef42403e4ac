import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.withdrawal.create`: money taken off an account (a referrer's payout, a refund, a
/// correction), as one ledger entry. It may block the account like an expense.
enum Withdrawals {
    static func create(_ db: SQLDatabase, _ command: BillingWithdrawalCreate, _ context: HandlerContext) throws -> BillingWithdrawal {
        let account = try Account.require(db, storeID: command.storeID, accountID: command.accountID, forUpdate: true)
        try account.requireWritable()
        guard command.amount.amount > 0 else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "amount.amount", problem: "below_minimum")])
        }
        let id = command.withdrawalID ?? RandomID.uuid()
        if try db.value("SELECT 1 FROM billing_ledger WHERE kind = 'withdrawal' AND ref_id = ?", [id], as: Int.self) != nil {
            throw ErrorBody(code: .conflict, message: "withdrawal \(id) exists", details: [ErrorDetail(field: "withdrawal_id", problem: "taken")])
        }
        let note = command.reason + (command.description.map { ": " + $0 } ?? "")
        try Ledger.append(db, account: account, kind: .withdrawal, amount: -command.amount.amount, currency: command.amount.currency,
                          ref: id, note: note, at: context.now, context: context)
        try Blocking.evaluate(db, account: account, context: context)
        return BillingWithdrawal(storeID: command.storeID, withdrawalID: id, accountID: account.accountID, amount: command.amount,
                                 reason: command.reason, description: command.description,
                                 balance: try Ledger.balance(db, account: account), at: context.now)
    }
}
