import GRDB
import SQLStore

/// The tables of billing's terms and documents, on both engines, registered after the core's
/// (`billing-1-…` / `billing-pg-1-…`): personal discounts, personal currency rates, per-client
/// tax rules, offers (quotes) with their lines, the invoices issued, the per-store document
/// counters, and the copy of the client names that documents print.
/// Amounts are integer minor units; percents are kept both as given (text) and in millionths of
/// a percent (`…_micro`: 12.5 % = 12500000) for the arithmetic. Times are `SQLTime` text on both engines.
/// Shipped steps are never edited; a change is a new numbered step.
public enum BillingTermsMigrations {
    public static func sqlite(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("billing-terms-1-tables") { db in
            try db.execute(sql: tables(integer: "INTEGER"))
        }
        migrator.registerMigration("billing-terms-2-expense-promotion") { db in
            try db.execute(sql: expensePromotion)
        }
        migrator.registerMigration("billing-terms-3-offer-home-client") { db in
            try db.execute(sql: offerHomeClient)
        }
    }

    public static let postgres: [SQLMigrationStep] = [
        SQLMigrationStep("billing-terms-pg-1-tables", tables(integer: "BIGINT")),
        SQLMigrationStep("billing-terms-pg-2-expense-promotion", expensePromotion),
        SQLMigrationStep("billing-terms-pg-3-offer-home-client", offerHomeClient),
    ]

    /// The client an offer was made for, once a merge moved it to another (`OfferMerges`); NULL: never moved.
    private static let offerHomeClient = """
        ALTER TABLE billing_offer ADD COLUMN home_client_id TEXT;
        """

    /// The promotion an expense comes under, as given (JSON), and its id when it took the discount.
    private static let expensePromotion = """
        ALTER TABLE billing_expense ADD COLUMN promotion TEXT;
        ALTER TABLE billing_expense ADD COLUMN promotion_id TEXT;
        """

    private static func tables(integer: String) -> String {
        """
        CREATE TABLE billing_discount (
            discount_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            provider_id TEXT,
            kind TEXT NOT NULL,
            percent TEXT,
            percent_micro \(integer),
            amount \(integer),
            currency TEXT,
            product_types TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT,
            description TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX billing_discount_on_client ON billing_discount (store_id, client_id);
        CREATE TABLE billing_rate (
            rate_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            base_currency TEXT NOT NULL,
            converted_currency TEXT NOT NULL,
            rate TEXT NOT NULL,
            rate_units \(integer) NOT NULL,
            rate_scale \(integer) NOT NULL,
            quantity \(integer) NOT NULL,
            effective_from TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX billing_rate_on_pair ON billing_rate (store_id, client_id, base_currency, converted_currency, effective_from);
        CREATE TABLE billing_tax_rule (
            rule_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            name TEXT,
            percent TEXT NOT NULL,
            percent_micro \(integer) NOT NULL,
            time_zone TEXT NOT NULL,
            starts_local TEXT NOT NULL,
            ends_local TEXT,
            starts_at TEXT NOT NULL,
            ends_before TEXT,
            product_types TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX billing_tax_rule_on_client ON billing_tax_rule (store_id, client_id, provider_id);
        CREATE TABLE billing_offer (
            offer_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            number TEXT NOT NULL,
            client_id TEXT NOT NULL,
            provider_id TEXT NOT NULL,
            currency TEXT NOT NULL,
            state TEXT NOT NULL,
            title TEXT,
            valid_until TEXT,
            subtotal \(integer) NOT NULL,
            discount \(integer) NOT NULL,
            tax \(integer) NOT NULL,
            total \(integer) NOT NULL,
            expense_id TEXT,
            payment_id TEXT,
            reason TEXT,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (store_id, number)
        );
        CREATE INDEX billing_offer_on_client ON billing_offer (store_id, client_id, created_at);
        CREATE TABLE billing_offer_line (
            offer_id TEXT NOT NULL,
            line_no \(integer) NOT NULL,
            description TEXT NOT NULL,
            product_type TEXT,
            quantity \(integer) NOT NULL,
            unit_price \(integer) NOT NULL,
            original_currency TEXT NOT NULL,
            amount \(integer) NOT NULL,
            discount \(integer) NOT NULL,
            tax \(integer) NOT NULL,
            total \(integer) NOT NULL,
            PRIMARY KEY (offer_id, line_no)
        );
        CREATE TABLE billing_invoice (
            invoice_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            number TEXT NOT NULL,
            source_kind TEXT NOT NULL,
            source_id TEXT NOT NULL,
            client_id TEXT NOT NULL,
            account_id TEXT,
            currency TEXT NOT NULL,
            total \(integer) NOT NULL,
            issued_at TEXT NOT NULL,
            sent_at TEXT,
            created_by TEXT NOT NULL,
            UNIQUE (store_id, number),
            UNIQUE (store_id, source_kind, source_id)
        );
        CREATE TABLE billing_document_counter (
            store_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            last_value \(integer) NOT NULL,
            PRIMARY KEY (store_id, kind)
        );
        CREATE TABLE billing_client_name (
            client_id TEXT PRIMARY KEY NOT NULL,
            store_id TEXT NOT NULL,
            name TEXT,
            email TEXT,
            language TEXT,
            version \(integer) NOT NULL,
            updated_at TEXT NOT NULL
        );
        """
    }
}
