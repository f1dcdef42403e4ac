import Foundation
@testable import PostgresClient
import Testing

/// One statement run for many parameter sets in one round trip: each run's rows, in order.
@Suite(.enabled(if: testDatabaseURL != nil, "needs CRM_TEST_DATABASE_URL (scripts/test sets it)"))
struct PipelinedReadTests {
    @Test func eachRunAnswersForItselfInOrder() throws {
        try PostgresConnectionTests.withSchema { db, _ in
            try db.execute("CREATE TABLE t (id bigint PRIMARY KEY, name text)")
            try db.execute("BEGIN")
            try db.enqueue("INSERT INTO t (id, name) VALUES ($1, $2)", [.integer(1), .text("one")])
            try db.enqueue("INSERT INTO t (id, name) VALUES ($1, $2)", [.integer(2), .text("two")])
            let sql = "SELECT name FROM t WHERE id >= $1 ORDER BY id"
            let results = try db.executePreparedEach(sql, [[.integer(2)], [.integer(3)], [.integer(1)]])
            #expect(results.map { $0.rows.map { $0[0] ?? "" } } == [["two"], [], ["one", "two"]], "held rows are read too")
            #expect(try db.executePreparedEach(sql, []).isEmpty)
            try db.execute("COMMIT")
        }
    }

    @Test func aFailingRunFailsTheCallAndTheConnectionGoesOn() throws {
        try PostgresConnectionTests.withSchema { db, _ in
            let sql = "SELECT 10 / $1::int AS q"
            #expect(throws: PostgresError.self) { try db.executePreparedEach(sql, [[.integer(1)], [.integer(0)], [.integer(2)]]) }
            let again = try db.executePreparedEach(sql, [[.integer(5)]])
            #expect(again.first?.rows.first?[0] == "2")
        }
    }
}
