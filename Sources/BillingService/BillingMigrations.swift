import GRDB

/// billing-service's own tables on SQLite (billing-terms adds its tables in steps of its own,
/// registered after these). Shipped steps are never edited; a change is a new step, and the same
/// change as a new step in `BillingPostgresMigrations`.
enum BillingMigrations {
    static func register(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("billing-1-accounts-ledger") { db in
            try db.execute(sql: BillingSchema.sqlite)
        }
    }
}

/// The tables' text, kept apart from the registration so that each engine's step reads as one block.
/// - `billing_client`: the copy of the client cards (connected providers, merges) from client-service's events.
/// - `billing_provider`: a store's providers; `is_default` marks the one shop orders are billed with.
/// - `billing_account`: one per client and provider; `home_client_id` is whose it was before a merge,
///   `joined_into` the survivor's account whose ledger it was joined into. No balance column:
///   the balance is the sum of `billing_ledger`.
/// - `billing_ledger`: every movement, signed (expenses negative, payments positive), in the
///   account's currency; `home_account_id` is where it was written, so an unmerge can take it back.
/// - `billing_expense`, `billing_payment`, `billing_allocation` (a payment's share of an expense),
///   `billing_service`, `billing_account_change` (who changed what, on accounts and payments),
///   `billing_order` (a shop order's expense and payment, whichever event came first).
enum BillingSchema {
    static let sqlite = """
        CREATE TABLE billing_client (
        client_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, connected_providers TEXT NOT NULL DEFAULT '[]',
        deleted INTEGER NOT NULL DEFAULT 0, merged_into TEXT, version INTEGER NOT NULL, updated_at TEXT) WITHOUT ROWID;
        CREATE TABLE billing_provider (
        store_id TEXT NOT NULL, provider_id TEXT NOT NULL, name TEXT NOT NULL, currency TEXT NOT NULL,
        free_requests INTEGER NOT NULL DEFAULT 0, request_period TEXT NOT NULL DEFAULT 'month',
        extra_request_price INTEGER NOT NULL DEFAULT 0, login_at_registration INTEGER NOT NULL DEFAULT 0,
        is_default INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
        PRIMARY KEY (store_id, provider_id)) WITHOUT ROWID;
        CREATE TABLE billing_account (
        account_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, client_id TEXT NOT NULL, home_client_id TEXT NOT NULL,
        provider_id TEXT NOT NULL, currency TEXT NOT NULL, postpay INTEGER NOT NULL DEFAULT 0,
        credit_limit INTEGER NOT NULL DEFAULT 0, deferment TEXT NOT NULL DEFAULT 'none', deferment_days INTEGER NOT NULL DEFAULT 0,
        block_after_days INTEGER, referrer_id TEXT, active INTEGER NOT NULL DEFAULT 1, available INTEGER NOT NULL DEFAULT 1,
        joined_into TEXT, blocked INTEGER NOT NULL DEFAULT 0, blocked_reason TEXT, blocked_at TEXT,
        created_at TEXT NOT NULL, created_by TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;
        CREATE UNIQUE INDEX billing_account_one_active ON billing_account (store_id, client_id, provider_id)
        WHERE active AND joined_into IS NULL;
        CREATE INDEX billing_account_on_client ON billing_account (store_id, client_id);
        CREATE INDEX billing_account_on_home_client ON billing_account (store_id, home_client_id);
        CREATE TABLE billing_ledger (
        entry_id INTEGER PRIMARY KEY AUTOINCREMENT, store_id TEXT NOT NULL, account_id TEXT NOT NULL, home_account_id TEXT NOT NULL,
        kind TEXT NOT NULL, amount INTEGER NOT NULL, currency TEXT NOT NULL, ref_id TEXT, note TEXT,
        at TEXT NOT NULL, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL);
        CREATE INDEX billing_ledger_on_account ON billing_ledger (account_id, at);
        CREATE INDEX billing_ledger_on_home_account ON billing_ledger (home_account_id);
        CREATE TABLE billing_expense (
        expense_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, account_id TEXT NOT NULL, home_account_id TEXT NOT NULL,
        original_amount INTEGER NOT NULL, original_currency TEXT NOT NULL, converted_amount INTEGER NOT NULL,
        discount INTEGER NOT NULL DEFAULT 0, tax INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL, currency TEXT NOT NULL,
        discount_id TEXT, rate_id TEXT, tax_rule_id TEXT, description TEXT, product_type TEXT, expense_date TEXT NOT NULL,
        order_id TEXT, deleted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX billing_expense_on_account ON billing_expense (account_id, expense_date);
        CREATE TABLE billing_payment (
        payment_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, account_id TEXT NOT NULL, home_account_id TEXT NOT NULL,
        amount INTEGER NOT NULL, currency TEXT NOT NULL, state TEXT NOT NULL, method TEXT, description TEXT, order_id TEXT,
        expense_ids TEXT NOT NULL DEFAULT '[]', due_at TEXT, block_at TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL, paid_at TEXT) WITHOUT ROWID;
        CREATE INDEX billing_payment_on_account ON billing_payment (account_id, state);
        CREATE INDEX billing_payment_on_block_at ON billing_payment (state, block_at);
        CREATE TABLE billing_allocation (
        payment_id TEXT NOT NULL, expense_id TEXT NOT NULL, store_id TEXT NOT NULL, amount INTEGER NOT NULL,
        allocated_at TEXT NOT NULL, PRIMARY KEY (payment_id, expense_id)) WITHOUT ROWID;
        CREATE INDEX billing_allocation_on_expense ON billing_allocation (expense_id);
        CREATE TABLE billing_service (
        service_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, account_id TEXT NOT NULL, home_account_id TEXT NOT NULL,
        name TEXT NOT NULL, tariff TEXT, price INTEGER NOT NULL DEFAULT 0, currency TEXT NOT NULL,
        period TEXT NOT NULL DEFAULT 'month', state TEXT NOT NULL DEFAULT 'active',
        suspended_by_block INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX billing_service_on_account ON billing_service (account_id);
        CREATE TABLE billing_account_change (
        change_id INTEGER PRIMARY KEY AUTOINCREMENT, store_id TEXT NOT NULL, account_id TEXT NOT NULL, subject TEXT NOT NULL,
        subject_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT, changed_by TEXT NOT NULL,
        changed_at TEXT NOT NULL);
        CREATE INDEX billing_account_change_on_subject ON billing_account_change (subject_id, change_id);
        CREATE TABLE billing_order (
        store_id TEXT NOT NULL, order_id TEXT NOT NULL, client_id TEXT, account_id TEXT, amount INTEGER, currency TEXT,
        placed_at TEXT, expense_id TEXT, payment_id TEXT, status TEXT, status_changed_at TEXT,
        PRIMARY KEY (store_id, order_id)) WITHOUT ROWID;
        """
}
