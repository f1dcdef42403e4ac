import Contracts
import Foundation
import SQLStore

/// Reads one client's personal terms in force at a moment: the rate for a pair of currencies,
/// the discount that takes the most off, the tax rule that fits best.
struct PersonalTerms {
    let db: SQLDatabase
    let storeID: String
    let clientID: String

    struct Rate {
        var rateID: String
        /// `quantity` units of the base currency cost `units ÷ 10^scale` of the converted one.
        var units: Int64
        var scale: Int
        var quantity: Int64

        /// Minor units of `from` into minor units of `to`, rounded once from the exact fraction.
        func convert(_ amount: Int64, from: String, to: String) -> Int64 {
            let numerator = Int128(amount) * Int128(units) * CurrencyUnits.power(CurrencyUnits.exponent(of: to))
            let denominator = CurrencyUnits.power(scale) * Int128(quantity) * CurrencyUnits.power(CurrencyUnits.exponent(of: from))
            let exact = Rounding.halfEven(numerator, over: denominator)
            guard let result = Int64(exactly: exact) else { preconditionFailure("converted amount does not fit 64 bits") }
            return result
        }
    }

    struct Discount {
        var discountID: String
        var amount: Int64
    }

    struct TaxRule {
        var ruleID: String
        var percentMicro: Int64
    }

    /// The latest rate from `base` to `converted` whose effective date is not after `date`.
    func rate(from base: String, to converted: String, on date: Date) throws -> Rate? {
        guard let row = try db.row("""
            SELECT rate_id, rate_units, rate_scale, quantity FROM billing_rate
            WHERE store_id = ? AND client_id = ? AND base_currency = ? AND converted_currency = ? AND effective_from <= ?
            ORDER BY effective_from DESC, rate_id DESC LIMIT 1
            """, [storeID, clientID, base, converted, date]) else { return nil }
        return Rate(rateID: row["rate_id"], units: row["rate_units"], scale: Int(row["rate_scale"] as Int64), quantity: row["quantity"])
    }

    /// Of the discounts in force on `date` for this provider (or any) and product type (or all),
    /// the one that takes the most off `amount` (never more than all of it); ties go to the
    /// smaller id, so the choice does not depend on the order rows come in.
    func bestDiscount(on amount: Money, providerID: String, productType: String?, date: Date) throws -> Discount? {
        let rows = try db.rows("""
            SELECT discount_id, kind, percent_micro, amount, currency, product_types FROM billing_discount
            WHERE store_id = ? AND client_id = ? AND (provider_id IS NULL OR provider_id = ?)
              AND starts_at <= ? AND (ends_at IS NULL OR ends_at > ?)
            ORDER BY discount_id
            """, [storeID, clientID, providerID, date, date])
        var best: Discount?
        for row in rows where Self.covers(row["product_types"], productType) {
            let off: Int64
            if (row["kind"] as String) == "percent" {
                off = Rounding.halfEven(amount.amount, times: row["percent_micro"], over: 100_000_000)
            } else {
                // A fixed amount applies only to an amount in its own currency.
                guard (row["currency"] as String?) == amount.currency else { continue }
                off = row["amount"]
            }
            let capped = min(max(0, off), amount.amount)
            if capped > (best?.amount ?? -1) { best = Discount(discountID: row["discount_id"], amount: capped) }
        }
        return best
    }

    /// The provider's tax rule in force at `date`: one naming the product type before a general
    /// one, then the one that started last.
    func taxRule(providerID: String, productType: String?, date: Date) throws -> TaxRule? {
        let rows = try db.rows("""
            SELECT rule_id, percent_micro, product_types, starts_at FROM billing_tax_rule
            WHERE store_id = ? AND client_id = ? AND provider_id = ? AND starts_at <= ? AND (ends_before IS NULL OR ends_before > ?)
            ORDER BY starts_at DESC, rule_id
            """, [storeID, clientID, providerID, date, date])
        let fitting = rows.filter { Self.covers($0["product_types"], productType) }
        let specific = fitting.first { !Self.types($0["product_types"]).isEmpty }
        guard let row = specific ?? fitting.first else { return nil }
        return TaxRule(ruleID: row["rule_id"], percentMicro: row["percent_micro"])
    }

    /// Product types are kept as a JSON array; an empty one means every type.
    static func types(_ stored: String) -> [String] {
        (try? JSONCoding.decoder.decode([String].self, from: Data(stored.utf8))) ?? []
    }

    static func stored(_ types: [String]?) -> String {
        let unique = Array(Set(types ?? [])).sorted()
        return String(decoding: (try? JSONCoding.encoder.encode(unique)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func covers(_ stored: String, _ productType: String?) -> Bool {
        let listed = types(stored)
        guard !listed.isEmpty else { return true }
        guard let productType else { return false }
        return listed.contains(productType)
    }
}
