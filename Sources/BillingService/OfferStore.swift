import Contracts
import Foundation
import SQLStore

/// Reading offers back from `billing_offer` and `billing_offer_line`.
enum OfferStore {
    static func load(_ db: SQLDatabase, storeID: String, offerID: String, lock: Bool = false) throws -> BillingOffer {
        guard let row = try db.row("SELECT * FROM billing_offer WHERE offer_id = ? AND store_id = ?" + (lock ? db.forUpdate : ""),
                                   [offerID, storeID]) else {
            throw ErrorBody(code: .notFound, message: "store \(storeID) has no offer \(offerID)")
        }
        return try offer(db, row)
    }

    static func offer(_ db: SQLDatabase, _ row: SQLRow) throws -> BillingOffer {
        let id: String = row["offer_id"]
        let currency: String = row["currency"]
        let money = { (amount: Int64) in Money(amount: amount, currency: currency) }
        let lines = try db.rows("SELECT * FROM billing_offer_line WHERE offer_id = ? ORDER BY line_no", [id]).map { line in
            BillingOffer.Line(
                lineNo: line["line_no"], description: line["description"], productType: line["product_type"],
                quantity: line["quantity"], unitPrice: Money(amount: line["unit_price"], currency: line["original_currency"]),
                amount: money(line["amount"]), discount: money(line["discount"]), tax: money(line["tax"]), total: money(line["total"]))
        }
        return BillingOffer(
            offerID: id, storeID: row["store_id"], number: row["number"], clientID: row["client_id"], providerID: row["provider_id"],
            state: BillingOffer.State(rawValue: row["state"]) ?? .new, title: row["title"], validUntil: row["valid_until"],
            lines: lines, subtotal: money(row["subtotal"]), discount: money(row["discount"]), tax: money(row["tax"]),
            total: money(row["total"]), expenseID: row["expense_id"], paymentID: row["payment_id"], reason: row["reason"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func setState(_ db: SQLDatabase, _ offer: BillingOffer, to state: BillingOffer.State, reason: String? = nil,
                         expenseID: String? = nil, paymentID: String? = nil, at now: Date) throws -> BillingOffer {
        try db.execute("""
            UPDATE billing_offer SET state = ?, reason = COALESCE(?, reason), expense_id = COALESCE(?, expense_id),
                payment_id = COALESCE(?, payment_id), updated_at = ? WHERE offer_id = ?
            """, [state.rawValue, reason, expenseID, paymentID, now, offer.offerID])
        return try load(db, storeID: offer.storeID, offerID: offer.offerID)
    }
}
