import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.tax_rule.add/update/remove/list`: a client's tax rules, one provider each. The local
/// start and end are kept as given with their zone, and as the UTC instants they name (`starts_at`,
/// and `ends_before` = the end + 1 s, since the end's own second is included), which pricing compares.
enum TaxRuleHandlers {
    static func add(_ db: SQLDatabase, _ command: BillingTaxRuleEdit, _ context: HandlerContext) throws -> BillingTaxRule {
        let id = TermValidation.newID("tax")
        let rule = try checked(command)
        try db.execute("""
            INSERT INTO billing_tax_rule (rule_id, store_id, client_id, provider_id, name, percent, percent_micro, time_zone,
                starts_local, ends_local, starts_at, ends_before, product_types, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, command.storeID, command.clientID, command.providerID, command.name, command.percent, rule.micro,
                  command.timeZone, command.start, command.end, rule.startsAt, rule.endsBefore,
                  PersonalTerms.stored(command.productTypes), context.sender.userID, context.now, context.now])
        return try load(db, storeID: command.storeID, id: id)
    }

    static func update(_ db: SQLDatabase, _ command: BillingTaxRuleEdit, _ context: HandlerContext) throws -> BillingTaxRule {
        guard let id = command.ruleID else { throw TermValidation.invalid("rule_id", "required", "is required") }
        let rule = try checked(command)
        let changed = try db.execute("""
            UPDATE billing_tax_rule SET client_id = ?, provider_id = ?, name = ?, percent = ?, percent_micro = ?, time_zone = ?,
                starts_local = ?, ends_local = ?, starts_at = ?, ends_before = ?, product_types = ?, updated_at = ?
            WHERE rule_id = ? AND store_id = ?
            """, [command.clientID, command.providerID, command.name, command.percent, rule.micro, command.timeZone, command.start,
                  command.end, rule.startsAt, rule.endsBefore, PersonalTerms.stored(command.productTypes), context.now, id,
                  command.storeID])
        guard changed > 0 else { throw notFound(command.storeID, id) }
        return try load(db, storeID: command.storeID, id: id)
    }

    static func remove(_ db: SQLDatabase, _ command: BillingTaxRuleRemove, _ context: HandlerContext) throws -> BillingTaxRule {
        let rule = try load(db, storeID: command.storeID, id: command.ruleID)
        try db.execute("DELETE FROM billing_tax_rule WHERE rule_id = ? AND store_id = ?", [command.ruleID, command.storeID])
        return rule
    }

    static func list(_ db: SQLDatabase, _ query: BillingTermsList, _ context: HandlerContext) throws -> BillingTaxRuleListResult {
        let rows = try db.rows("""
            SELECT * FROM billing_tax_rule WHERE store_id = ? AND client_id = ? ORDER BY provider_id, starts_at, rule_id
            """, [query.storeID, query.clientID])
        return BillingTaxRuleListResult(rules: rows.map(rule))
    }

    private static func checked(_ command: BillingTaxRuleEdit) throws -> (micro: Int64, startsAt: Date, endsBefore: Date?) {
        let micro = try TermValidation.percent(command.percent).micro
        let zone = try TermValidation.zone(command.timeZone)
        let starts = try TermValidation.localTime(command.start, in: zone, field: "start")
        var endsBefore: Date?
        if let end = command.end {
            let ends = try TermValidation.localTime(end, in: zone, field: "end")
            guard ends >= starts else { throw TermValidation.invalid("end", "before_start", "the rule ends before it starts") }
            endsBefore = ends.addingTimeInterval(1)
        }
        return (micro, starts, endsBefore)
    }

    static func load(_ db: SQLDatabase, storeID: String, id: String) throws -> BillingTaxRule {
        guard let row = try db.row("SELECT * FROM billing_tax_rule WHERE rule_id = ? AND store_id = ?", [id, storeID]) else {
            throw notFound(storeID, id)
        }
        return rule(row)
    }

    private static func notFound(_ storeID: String, _ id: String) -> ErrorBody {
        ErrorBody(code: .notFound, message: "store \(storeID) has no tax rule \(id)")
    }

    private static func rule(_ row: SQLRow) -> BillingTaxRule {
        BillingTaxRule(ruleID: row["rule_id"], storeID: row["store_id"], clientID: row["client_id"], providerID: row["provider_id"],
                       name: row["name"], percent: row["percent"], timeZone: row["time_zone"], start: row["starts_local"],
                       end: row["ends_local"], productTypes: PersonalTerms.types(row["product_types"]),
                       createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
