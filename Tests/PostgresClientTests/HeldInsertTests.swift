import Foundation
@testable import PostgresClient
import Testing

/// One-row inserts enqueued in a batch go out as one statement per shape; what is read in between
/// sees every row enqueued before it.
@Suite(.enabled(if: testDatabaseURL != nil, "needs CRM_TEST_DATABASE_URL (scripts/test sets it)"))
struct HeldInsertTests {
    @Test func rowsOfOneShapeLandTogetherAndInOrderWithReads() throws {
        try PostgresConnectionTests.withSchema { db, _ in
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text, doc tsvector)")
            let insert = "INSERT INTO t (id, name, doc) VALUES ($1, $2, to_tsvector('simple', $3)) ON CONFLICT (id) DO NOTHING"
            try db.execute("BEGIN")
            for i in 1...150 { try db.enqueue(insert, [.integer(Int64(i)), .text("n'\(i)"), .text("word\(i) ($i)")]) }
            #expect(db.heldInserts.first?.rows.count == 150, "held, not sent")
            #expect(try db.execute("SELECT count(*) FROM t")[0, "count"] == "150", "a read sends what was held first")
            for i in 140...300 { try db.enqueue(insert, [.integer(Int64(i)), .text("n\(i)"), .text("w")]) }
            try db.flush()
            try db.execute("COMMIT")
            #expect(try db.execute("SELECT count(*) FROM t")[0, "count"] == "300", "a row already there is skipped by its own clause")
            #expect(try db.execute("SELECT name FROM t WHERE id = 7")[0, "name"] == "n'7")
            #expect(try db.execute("SELECT count(*) FROM t WHERE doc @@ to_tsquery('simple', 'word42')")[0, "count"] == "1")
        }
    }

    @Test func aFailingRowFailsItsBatchAndTheRollbackLeavesNothing() throws {
        try PostgresConnectionTests.withSchema { db, _ in
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY)")
            let outcome = Result {
                try db.transaction {
                    try db.enqueue("INSERT INTO t (id) VALUES ($1)", [.integer(1)])
                    try db.enqueue("INSERT INTO t (id) VALUES ($1)", [.integer(1)])
                    try db.flush()
                }
            }
            guard case .failure(let error) = outcome, case .statement(let state, _) = error as? PostgresError else {
                Issue.record("the duplicate key must fail: \(outcome)")
                return
            }
            #expect(state == "23505")
            #expect(try db.execute("SELECT count(*) FROM t")[0, "count"] == "0")
        }
    }

    @Test func onlyOneRowInsertsHaveAShape() {
        #expect(PostgresInsertShape("INSERT INTO t (a, b) VALUES ($1, $2)")?.sql(rows: 2) == "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)")
        #expect(PostgresInsertShape("insert into t (a) values ($1) ON CONFLICT (a) DO UPDATE SET a = excluded.a")?.sql(rows: 2)
            == "insert into t (a) values ($1), ($2) ON CONFLICT (a) DO UPDATE SET a = excluded.a")
        #expect(PostgresInsertShape("INSERT INTO t (a) VALUES ($1) RETURNING a") == nil)
        #expect(PostgresInsertShape("INSERT INTO t (a) SELECT $1") == nil)
        #expect(PostgresInsertShape("SELECT pg_advisory_xact_lock($1)") == nil)
        #expect(PostgresInsertShape("INSERT INTO t (a) VALUES ('x')") == nil, "no parameters, nothing to gain")
        #expect(PostgresInsertShape("INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO UPDATE SET a = $2") == nil)
    }
}
