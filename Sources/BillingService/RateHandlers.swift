import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.rate.add/update/remove/list`: a client's personal currency rates. A rate is kept as
/// given (text) and as an integer with its scale, so conversion never meets a binary fraction.
enum RateHandlers {
    static func add(_ db: SQLDatabase, _ command: BillingRateEdit, _ context: HandlerContext) throws -> BillingRate {
        let id = TermValidation.newID("rate")
        let rate = try checked(command)
        try db.execute("""
            INSERT INTO billing_rate (rate_id, store_id, client_id, base_currency, converted_currency, rate, rate_units, rate_scale,
                quantity, effective_from, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, command.storeID, command.clientID, command.baseCurrency, command.convertedCurrency, command.rate, rate.units,
                  rate.scale, command.quantity ?? 1, command.effectiveFrom, context.sender.userID, context.now, context.now])
        return try load(db, storeID: command.storeID, id: id)
    }

    static func update(_ db: SQLDatabase, _ command: BillingRateEdit, _ context: HandlerContext) throws -> BillingRate {
        guard let id = command.rateID else { throw TermValidation.invalid("rate_id", "required", "is required") }
        let rate = try checked(command)
        let changed = try db.execute("""
            UPDATE billing_rate SET client_id = ?, base_currency = ?, converted_currency = ?, rate = ?, rate_units = ?, rate_scale = ?,
                quantity = ?, effective_from = ?, updated_at = ? WHERE rate_id = ? AND store_id = ?
            """, [command.clientID, command.baseCurrency, command.convertedCurrency, command.rate, rate.units, rate.scale,
                  command.quantity ?? 1, command.effectiveFrom, context.now, id, command.storeID])
        guard changed > 0 else { throw notFound(command.storeID, id) }
        return try load(db, storeID: command.storeID, id: id)
    }

    static func remove(_ db: SQLDatabase, _ command: BillingRateRemove, _ context: HandlerContext) throws -> BillingRate {
        let rate = try load(db, storeID: command.storeID, id: command.rateID)
        try db.execute("DELETE FROM billing_rate WHERE rate_id = ? AND store_id = ?", [command.rateID, command.storeID])
        return rate
    }

    static func list(_ db: SQLDatabase, _ query: BillingTermsList, _ context: HandlerContext) throws -> BillingRateListResult {
        let rows = try db.rows("""
            SELECT * FROM billing_rate WHERE store_id = ? AND client_id = ?
            ORDER BY base_currency, converted_currency, effective_from, rate_id
            """, [query.storeID, query.clientID])
        return BillingRateListResult(rates: rows.map(rate))
    }

    private static func checked(_ command: BillingRateEdit) throws -> ScaledDecimal {
        guard command.baseCurrency != command.convertedCurrency else {
            throw TermValidation.invalid("converted_currency", "same_currency", "is the base currency")
        }
        guard let rate = ScaledDecimal(command.rate), rate.units > 0 else {
            throw TermValidation.invalid("rate", "invalid_rate", "\(command.rate) is not a rate above 0")
        }
        if let quantity = command.quantity, quantity < 1 {
            throw TermValidation.invalid("quantity", "below_minimum", "must be at least 1")
        }
        return rate
    }

    static func load(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingRate {
        guard let row = try db.row("SELECT * FROM billing_rate WHERE rate_id = ? AND store_id = ?", [id, storeID]) else {
            throw notFound(storeID, id)
        }
        return rate(row)
    }

    private static func notFound(_ storeID: String, _ id: String) -> ErrorBody {
        ErrorBody(code: .notFound, message: "store \(storeID) has no rate \(id)")
    }

    private static func rate(_ row: SQLRow) -> BillingRate {
        BillingRate(rateID: row["rate_id"], storeID: row["store_id"], clientID: row["client_id"], baseCurrency: row["base_currency"],
                    convertedCurrency: row["converted_currency"], rate: row["rate"], quantity: row["quantity"],
                    effectiveFrom: row["effective_from"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
