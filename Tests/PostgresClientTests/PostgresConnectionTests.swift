import Foundation
import PostgresClient
import Testing

/// Against the real PostgreSQL that scripts/test starts (`CRM_TEST_DATABASE_URL`); each test works
/// in a schema of its own, dropped at the end.
let testDatabaseURL = ProcessInfo.processInfo.environment["CRM_TEST_DATABASE_URL"]

@Suite(.enabled(if: testDatabaseURL != nil, "needs CRM_TEST_DATABASE_URL (scripts/test sets it)"))
struct PostgresConnectionTests {
    static let url = testDatabaseURL

    /// A connection whose search path is a fresh schema; the schema is dropped when `body` ends.
    static func withSchema(_ body: (PostgresConnection, String) throws -> Void) throws {
        let schema = "t_" + UUID().uuidString.prefix(8).lowercased()
        let db = try PostgresConnection(url: url!)
        try db.execute("CREATE SCHEMA \(schema)")
        try db.execute("SET search_path TO \(schema)")
        defer { _ = try? db.execute("DROP SCHEMA \(schema) CASCADE") }
        try body(db, schema)
    }

    @Test func valuesGoAndComeBackAsWritten() throws {
        try Self.withSchema { db, _ in
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, body bytea, amount bigint, ok boolean)")
            let bytes = Data([0, 1, 0xFE, 0xFF, 0x5C, 0x27])
            try db.execute("INSERT INTO t VALUES ($1, $2, $3, $4, $5)",
                           [.integer(1), .text("Ёлка'; DROP TABLE t; --"), .bytes(bytes), .integer(-259_800), .bool(true)])
            try db.execute("INSERT INTO t VALUES ($1, $2, $3, $4, $5)", [.integer(2), .null, .null, .null, .bool(false)])
            let rows = try db.execute("SELECT id, name, body, amount, ok FROM t ORDER BY id")
            #expect(rows.rows.count == 2)
            #expect(rows[0, "name"] == "Ёлка'; DROP TABLE t; --", "parameters travel apart from the SQL")
            #expect(PostgresRows.bytes(rows[0, "body"]) == bytes)
            #expect(rows[0, "amount"] == "-259800" && rows[0, "ok"] == "t")
            #expect(rows[1, "name"] == nil && rows[1, "body"] == nil && rows[1, "ok"] == "f")
            #expect(try db.execute("UPDATE t SET ok = true").affected == 2)
        }
    }

    /// Texts come back byte for byte, their spaces and newlines at either end too (as SQLite gives them).
    @Test func textsKeepTheirSpacesAndNewlines() throws {
        try Self.withSchema { db, _ in
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text)")
            for (id, name) in ["  two spaces before", "a newline after\n", "\ttab and space \n "].enumerated() {
                try db.execute("INSERT INTO t VALUES ($1, $2)", [.integer(Int64(id)), .text(name)])
                #expect(try db.execute("SELECT name FROM t WHERE id = $1", [.integer(Int64(id))])[0, "name"] == name)
                #expect(try db.executePrepared("SELECT name FROM t WHERE id = $1", [.integer(Int64(id))])[0, "name"] == name)
            }
        }
    }

    @Test func errorsCarryPostgresCodeAndTransactionsRollBack() throws {
        try Self.withSchema { db, _ in
            try db.execute("CREATE TABLE inbox (message_id text PRIMARY KEY)")
            try db.execute("INSERT INTO inbox VALUES ($1)", [.text("m-1")])
            #expect(throws: PostgresError.statement(sqlState: "23505", message: "")) {
                do { try db.execute("INSERT INTO inbox VALUES ($1)", [.text("m-1")]) } catch PostgresError.statement(let state, _) {
                    throw PostgresError.statement(sqlState: state, message: "")
                }
            }
            // Idempotent insert, the same SQL on both engines.
            #expect(try db.execute("INSERT INTO inbox VALUES ($1) ON CONFLICT DO NOTHING", [.text("m-1")]).affected == 0)
            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try db.transaction {
                    try db.execute("INSERT INTO inbox VALUES ($1)", [.text("m-2")])
                    throw Stop()
                }
            }
            #expect(try db.execute("SELECT count(*) AS n FROM inbox")[0, "n"] == "1")
        }
    }

    /// The primitive replicas' outbox relays stand on: rows one relay has claimed are skipped by
    /// the others, not waited for and not published twice.
    @Test func claimedRowsAreSkippedByAnotherConnection() throws {
        try Self.withSchema { db, schema in
            try db.execute("CREATE TABLE outbox (id bigserial PRIMARY KEY, body text NOT NULL)")
            for i in 0..<10 { try db.execute("INSERT INTO outbox (body) VALUES ($1)", [.text("m\(i)")]) }
            let other = try PostgresConnection(url: Self.url!)
            try other.execute("SET search_path TO \(schema)")
            try db.execute("BEGIN")
            let first = try db.execute("SELECT id FROM outbox ORDER BY id LIMIT 4 FOR UPDATE SKIP LOCKED")
            let second = try other.transaction {
                try other.execute("SELECT id FROM outbox ORDER BY id LIMIT 4 FOR UPDATE SKIP LOCKED")
            }
            try db.execute("COMMIT")
            let a = Set(first.rows.compactMap { $0[0] }), b = Set(second.rows.compactMap { $0[0] })
            #expect(a.count == 4 && b.count == 4 && a.isDisjoint(with: b))
        }
    }

    @Test func aWrongPasswordIsAClearError() throws {
        var components = try #require(URLComponents(string: Self.url!))
        components.password = "wrong"
        #expect(throws: PostgresError.self) { _ = try PostgresConnection(url: components.string!) }
    }
}
