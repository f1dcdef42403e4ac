import GRDB
import SQLStore

/// dedupe-service's tables on SQLite (`dedupe-1-…`) and PostgreSQL (`dedupe-pg-1-…`): the same
/// tables and columns on both. Shipped steps are never edited; a change is a new step on each.
///
/// - `dedupe_store`: the copy of the store registry (account, default country) from `store.updated`.
/// - `dedupe_client`: the index's cards (names, e-mail, birthday, an address line, a company name,
///   created, deleted, merged into), kept from `client.*` events; a version applies only when newer.
/// - `dedupe_key`: every value that may tie two cards, one row each, in its compared form:
///   `phone` (E.164: phone, landline, extra phones), `email` (key), `inn`, `contact` (a contact
///   person's client id, whose phones and e-mails tie the company).
/// - `dedupe_tie`: `client.tie_recorded` evidence: an order tying two cards, and its key values.
/// - `dedupe_settings`: a store's settings as JSON (`DedupeSettingsFields`, all set), with the
///   automatic merge's switch apart for the timer's query.
/// - `dedupe_job`, `dedupe_group`, `dedupe_suggestion`: analyses, their groups and suggestions (JSON
///   bodies as reported), kept for `dedupe.report`.
/// - `dedupe_run`, `dedupe_merge`: merge runs and the log of their merges (`dedupe.log`), each
///   `sent` to client-service, `merged` when its `client.merged` arrives, then perhaps `unmerge_sent`
///   and `unmerged`; or `refused` when its `client.merge_refused` arrives (step 2: `refusal`, the
///   error as JSON, and `refused_at`).
enum DedupeMigrations {
    static func sqlite(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("dedupe-1-index-settings-jobs") { db in
            try db.execute(sql: """
                CREATE TABLE dedupe_store (
                    store_id TEXT PRIMARY KEY NOT NULL, account_id TEXT NOT NULL, default_country TEXT NOT NULL,
                    version INTEGER NOT NULL, updated_at TEXT) WITHOUT ROWID;
                CREATE INDEX dedupe_store_on_account ON dedupe_store (account_id);
                CREATE TABLE dedupe_client (
                    client_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, kind TEXT, first_name TEXT, last_name TEXT,
                    email TEXT, birthday TEXT, address TEXT, company TEXT, created_at TEXT NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0, merged_into TEXT, version INTEGER NOT NULL, updated_at TEXT) WITHOUT ROWID;
                CREATE INDEX dedupe_client_on_store ON dedupe_client (store_id);
                CREATE TABLE dedupe_key (
                    client_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, store_id TEXT NOT NULL,
                    PRIMARY KEY (client_id, kind, value)) WITHOUT ROWID;
                CREATE INDEX dedupe_key_on_value ON dedupe_key (store_id, kind, value);
                CREATE TABLE dedupe_tie (
                    store_id TEXT NOT NULL, order_id TEXT NOT NULL, client_a TEXT NOT NULL, client_b TEXT NOT NULL,
                    key_values TEXT NOT NULL, recorded_at TEXT NOT NULL,
                    PRIMARY KEY (store_id, order_id, client_a, client_b)) WITHOUT ROWID;
                CREATE TABLE dedupe_settings (
                    store_id TEXT PRIMARY KEY NOT NULL, settings TEXT NOT NULL, auto_merge INTEGER NOT NULL DEFAULT 0,
                    updated_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE dedupe_job (
                    job_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                    account_wide INTEGER NOT NULL DEFAULT 0, phase TEXT, done INTEGER NOT NULL DEFAULT 0,
                    total INTEGER NOT NULL DEFAULT 0, clients INTEGER, groups_found INTEGER, skipped INTEGER, suggestions INTEGER,
                    started_by TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, error TEXT,
                    automatic INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
                CREATE INDEX dedupe_job_on_store ON dedupe_job (store_id, created_at);
                CREATE TABLE dedupe_group (
                    job_id TEXT NOT NULL, number INTEGER NOT NULL, skipped TEXT, body TEXT NOT NULL,
                    PRIMARY KEY (job_id, number)) WITHOUT ROWID;
                CREATE TABLE dedupe_suggestion (
                    job_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, seq)) WITHOUT ROWID;
                CREATE TABLE dedupe_run (
                    run_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, job_id TEXT NOT NULL, status TEXT NOT NULL,
                    started_by TEXT NOT NULL, automatic INTEGER NOT NULL DEFAULT 0, groups_sent INTEGER NOT NULL DEFAULT 0,
                    groups_skipped INTEGER NOT NULL DEFAULT 0, groups_reanalysed INTEGER NOT NULL DEFAULT 0,
                    started_at TEXT NOT NULL, finished_at TEXT) WITHOUT ROWID;
                CREATE INDEX dedupe_run_on_store ON dedupe_run (store_id, started_at);
                CREATE TABLE dedupe_merge (
                    merge_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, store_id TEXT NOT NULL,
                    job_id TEXT NOT NULL, group_number INTEGER NOT NULL, survivor_id TEXT NOT NULL, merged_ids TEXT NOT NULL,
                    reasons TEXT NOT NULL, status TEXT NOT NULL, started_by TEXT NOT NULL, sent_at TEXT NOT NULL,
                    merged_at TEXT, unmerged_at TEXT);
                CREATE INDEX dedupe_merge_on_run ON dedupe_merge (run_id);
                CREATE INDEX dedupe_merge_on_survivor ON dedupe_merge (store_id, survivor_id, status);
                """)
        }
        migrator.registerMigration("dedupe-2-merge-refusal") { db in
            try db.execute(sql: """
                ALTER TABLE dedupe_merge ADD COLUMN refusal TEXT;
                ALTER TABLE dedupe_merge ADD COLUMN refused_at TEXT;
                """)
        }
    }

    static let postgres: [SQLMigrationStep] = [
        SQLMigrationStep("dedupe-pg-1-index-settings-jobs", """
            CREATE TABLE dedupe_store (
                store_id TEXT PRIMARY KEY NOT NULL, account_id TEXT NOT NULL, default_country TEXT NOT NULL,
                version BIGINT NOT NULL, updated_at TEXT);
            CREATE INDEX dedupe_store_on_account ON dedupe_store (account_id);
            CREATE TABLE dedupe_client (
                client_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, kind TEXT, first_name TEXT, last_name TEXT,
                email TEXT, birthday TEXT, address TEXT, company TEXT, created_at TEXT NOT NULL,
                deleted BOOLEAN NOT NULL DEFAULT FALSE, merged_into TEXT, version BIGINT NOT NULL, updated_at TEXT);
            CREATE INDEX dedupe_client_on_store ON dedupe_client (store_id);
            CREATE TABLE dedupe_key (
                client_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, store_id TEXT NOT NULL,
                PRIMARY KEY (client_id, kind, value));
            CREATE INDEX dedupe_key_on_value ON dedupe_key (store_id, kind, value);
            CREATE TABLE dedupe_tie (
                store_id TEXT NOT NULL, order_id TEXT NOT NULL, client_a TEXT NOT NULL, client_b TEXT NOT NULL,
                key_values TEXT NOT NULL, recorded_at TEXT NOT NULL,
                PRIMARY KEY (store_id, order_id, client_a, client_b));
            CREATE TABLE dedupe_settings (
                store_id TEXT PRIMARY KEY NOT NULL, settings TEXT NOT NULL, auto_merge BOOLEAN NOT NULL DEFAULT FALSE,
                updated_at TEXT NOT NULL);
            CREATE TABLE dedupe_job (
                job_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                account_wide BOOLEAN NOT NULL DEFAULT FALSE, phase TEXT, done BIGINT NOT NULL DEFAULT 0,
                total BIGINT NOT NULL DEFAULT 0, clients BIGINT, groups_found BIGINT, skipped BIGINT, suggestions BIGINT,
                started_by TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, error TEXT,
                automatic BOOLEAN NOT NULL DEFAULT FALSE);
            CREATE INDEX dedupe_job_on_store ON dedupe_job (store_id, created_at);
            CREATE TABLE dedupe_group (
                job_id TEXT NOT NULL, number BIGINT NOT NULL, skipped TEXT, body TEXT NOT NULL, PRIMARY KEY (job_id, number));
            CREATE TABLE dedupe_suggestion (
                job_id TEXT NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (job_id, seq));
            CREATE TABLE dedupe_run (
                run_id TEXT PRIMARY KEY NOT NULL, store_id TEXT NOT NULL, job_id TEXT NOT NULL, status TEXT NOT NULL,
                started_by TEXT NOT NULL, automatic BOOLEAN NOT NULL DEFAULT FALSE, groups_sent BIGINT NOT NULL DEFAULT 0,
                groups_skipped BIGINT NOT NULL DEFAULT 0, groups_reanalysed BIGINT NOT NULL DEFAULT 0,
                started_at TEXT NOT NULL, finished_at TEXT);
            CREATE INDEX dedupe_run_on_store ON dedupe_run (store_id, started_at);
            CREATE TABLE dedupe_merge (
                merge_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, run_id TEXT NOT NULL, store_id TEXT NOT NULL,
                job_id TEXT NOT NULL, group_number BIGINT NOT NULL, survivor_id TEXT NOT NULL, merged_ids TEXT NOT NULL,
                reasons TEXT NOT NULL, status TEXT NOT NULL, started_by TEXT NOT NULL, sent_at TEXT NOT NULL,
                merged_at TEXT, unmerged_at TEXT);
            CREATE INDEX dedupe_merge_on_run ON dedupe_merge (run_id);
            CREATE INDEX dedupe_merge_on_survivor ON dedupe_merge (store_id, survivor_id, status);
            """),
        SQLMigrationStep("dedupe-pg-2-merge-refusal", """
            ALTER TABLE dedupe_merge ADD COLUMN refusal TEXT;
            ALTER TABLE dedupe_merge ADD COLUMN refused_at TEXT;
            """),
    ]
}
