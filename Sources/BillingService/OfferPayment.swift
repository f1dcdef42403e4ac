import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.offer.pay`: an accepted offer becomes an expense of its total on the client's account
/// with the provider, and a payment for it, credited at once (through the core's ledger, payments
/// and allocation). The expense keeps the offer's prices as they were made: the personal terms are
/// not applied a second time.
enum OfferPayment {
    static func pay(_ db: SQLDatabase, _ command: BillingOfferAction, _ context: HandlerContext) throws -> BillingOffer {
        let offer = try OfferStore.load(db, storeID: command.storeID, offerID: command.offerID, lock: true)
        if offer.state == .paid { return offer }  // said twice: the same answer
        try OfferHandlers.require(offer, in: [.accepted], to: "paid")
        guard let found = try ClientNames.account(db, storeID: offer.storeID, clientID: offer.clientID, providerID: offer.providerID) else {
            throw ErrorBody(code: .conflict, message: "client \(offer.clientID) has no open account with provider \(offer.providerID)")
        }
        let account = try Account.require(db, storeID: offer.storeID, accountID: found.id, forUpdate: true)
        try account.requireWritable()
        guard account.currency == offer.total.currency else {
            throw ErrorBody(code: .conflict, message: "account \(account.accountID) is in \(account.currency), the offer in \(offer.total.currency)")
        }
        let expenseID = TermValidation.newID("exp")
        let paymentID = TermValidation.newID("pay")
        let description = "\(offer.number)" + (offer.title.map { ": \($0)" } ?? "")
        try db.execute("""
            INSERT INTO billing_expense (expense_id, store_id, account_id, home_account_id, original_amount, original_currency,
                converted_amount, discount, tax, total, currency, description, expense_date, deleted, created_at, created_by,
                updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?)
            """, [expenseID, account.storeID, account.accountID, account.accountID, offer.subtotal.amount, offer.subtotal.currency,
                  offer.subtotal.amount, offer.discount.amount, offer.tax.amount, offer.total.amount, offer.total.currency,
                  description, context.now, context.now, context.sender.userID, context.now, context.sender.userID])
        try Ledger.append(db, account: account, kind: .expense, amount: -offer.total.amount, currency: offer.total.currency,
                          ref: expenseID, note: offer.number, at: context.now, context: context)
        try Payments.insert(db, account: account, id: paymentID, amount: offer.total.amount, method: nil, description: description,
                            orderID: nil, expenseIDs: [expenseID], context: context)
        try Payments.credit(db, account: account, row: try Payments.require(db, storeID: account.storeID, id: paymentID), context: context)
        return try OfferStore.setState(db, offer, to: .paid, expenseID: expenseID, paymentID: paymentID, at: context.now)
    }
}
