import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.discount.add/update/remove/list`: a client's personal discounts. The runtime has
/// checked that the sender may act on `store_id`; another store's discount is `not_found`.
enum DiscountHandlers {
    static func add(_ db: SQLDatabase, _ command: BillingDiscountEdit, _ context: HandlerContext) throws -> BillingDiscount {
        let id = TermValidation.newID("dsc")
        let terms = try checked(command)
        try db.execute("""
            INSERT INTO billing_discount (discount_id, store_id, client_id, provider_id, kind, percent, percent_micro, amount, currency,
                product_types, starts_at, ends_at, description, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, command.storeID, command.clientID, command.providerID, command.kind.rawValue, terms.percent, terms.micro,
                  command.amount?.amount, command.amount?.currency, PersonalTerms.stored(command.productTypes), command.startsAt,
                  command.endsAt, command.description, context.sender.userID, context.now, context.now])
        return try load(db, storeID: command.storeID, id: id)
    }

    static func update(_ db: SQLDatabase, _ command: BillingDiscountEdit, _ context: HandlerContext) throws -> BillingDiscount {
        guard let id = command.discountID else { throw TermValidation.invalid("discount_id", "required", "is required") }
        let terms = try checked(command)
        let changed = try db.execute("""
            UPDATE billing_discount SET client_id = ?, provider_id = ?, kind = ?, percent = ?, percent_micro = ?, amount = ?,
                currency = ?, product_types = ?, starts_at = ?, ends_at = ?, description = ?, updated_at = ?
            WHERE discount_id = ? AND store_id = ?
            """, [command.clientID, command.providerID, command.kind.rawValue, terms.percent, terms.micro, command.amount?.amount,
                  command.amount?.currency, PersonalTerms.stored(command.productTypes), command.startsAt, command.endsAt,
                  command.description, context.now, id, command.storeID])
        guard changed > 0 else { throw notFound(command.storeID, id) }
        return try load(db, storeID: command.storeID, id: id)
    }

    static func remove(_ db: SQLDatabase, _ command: BillingDiscountRemove, _ context: HandlerContext) throws -> BillingDiscount {
        let discount = try load(db, storeID: command.storeID, id: command.discountID)
        try db.execute("DELETE FROM billing_discount WHERE discount_id = ? AND store_id = ?", [command.discountID, command.storeID])
        return discount
    }

    static func list(_ db: SQLDatabase, _ query: BillingTermsList, _ context: HandlerContext) throws -> BillingDiscountListResult {
        let rows = try db.rows("SELECT * FROM billing_discount WHERE store_id = ? AND client_id = ? ORDER BY starts_at, discount_id",
                               [query.storeID, query.clientID])
        return BillingDiscountListResult(discounts: rows.map(discount))
    }

    private static func checked(_ command: BillingDiscountEdit) throws -> (percent: String?, micro: Int64?) {
        try TermValidation.period(starts: command.startsAt, ends: command.endsAt)
        switch command.kind {
        case .percent:
            guard let text = command.percent else { throw TermValidation.invalid("percent", "required", "a percent discount needs it") }
            guard command.amount == nil else { throw TermValidation.invalid("amount", "not_allowed", "a percent discount has no amount") }
            return (text, try TermValidation.percent(text).micro)
        case .amount:
            guard let amount = command.amount else { throw TermValidation.invalid("amount", "required", "an amount discount needs it") }
            guard command.percent == nil else { throw TermValidation.invalid("percent", "not_allowed", "an amount discount has no percent") }
            guard amount.amount > 0 else { throw TermValidation.invalid("amount.amount", "below_minimum", "must be above 0") }
            return (nil, nil)
        }
    }

    static func load(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingDiscount {
        guard let row = try db.row("SELECT * FROM billing_discount WHERE discount_id = ? AND store_id = ?", [id, storeID]) else {
            throw notFound(storeID, id)
        }
        return discount(row)
    }

    private static func notFound(_ storeID: String, _ id: String) -> ErrorBody {
        ErrorBody(code: .notFound, message: "store \(storeID) has no discount \(id)")
    }

    private static func discount(_ row: SQLRow) -> BillingDiscount {
        let amount: Int64? = row["amount"]
        let currency: String? = row["currency"]
        return BillingDiscount(
            discountID: row["discount_id"], storeID: row["store_id"], clientID: row["client_id"], providerID: row["provider_id"],
            kind: BillingDiscount.Kind(rawValue: row["kind"]) ?? .percent, percent: row["percent"],
            amount: amount.flatMap { a in currency.map { Money(amount: a, currency: $0) } },
            productTypes: PersonalTerms.types(row["product_types"]), startsAt: row["starts_at"], endsAt: row["ends_at"],
            description: row["description"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
