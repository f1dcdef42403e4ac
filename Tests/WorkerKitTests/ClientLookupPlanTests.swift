import CRMTestSupport
import Foundation
import Testing
@testable import ClientService
@testable import SQLStore

/// A buyer's lookup by key must read that key's index, whatever the table's statistics say.
/// PostgreSQL keeps a prepared statement's generic plan until the next ANALYZE; planned while the
/// table was small, the phone arms once walked the whole store on `client_store_id`, the export's
/// index (40 ms a lookup at 10,000 cards). Only a query that bounds `id` may use that index now.
@Suite struct ClientLookupPlanTests {
    /// The generic plan of the buyer lookup, made from the statistics of 300 cards of one store
    /// (with client-pg-4's index alone, the phone and e-mail arms were planned on it).
    @Test(.enabled(if: TestEngine.databaseURL != nil))
    func keyLookupsNeverWalkTheStoreOnTheExportIndex() throws {
        let storage = try TestEngine.postgres.storage(ClientServiceDefinition())
        let plan = try storage.write { db in
            for i in 0..<300 {
                try db.execute("""
                    INSERT INTO client (id, store_id, first_name, phone, email, source, version, deleted, created_at, updated_at, fields)
                    VALUES (?, 's1', 'Анна', ?, ?, 'web', 1, FALSE, '2026-11-30 10:00:00.000', '2026-11-30 10:00:00.000', '{}')
                    """, ["c-\(i)", "+7912\(1000000 + i)", "a\(i)@example.ru"])
            }
            try db.execute("ANALYZE client")
            try db.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            let parameters = (1...12).map { _ in "text" }.joined(separator: ", ")
            try db.execute("PREPARE lookup (\(parameters)) AS " + PostgresPlaceholders.rewrite(Client.byKeysSQL))
            let arguments = Array(repeating: "'s1'", count: 6).enumerated().map { "\($0.element), 'k\($0.offset)'" }
            let rows = try db.rows("EXPLAIN EXECUTE lookup (\(arguments.joined(separator: ", ")))")
            try db.execute("DEALLOCATE lookup")
            return rows.map { $0[0] as String }.joined(separator: "\n")
        }
        #expect(!plan.contains("client_store_id"), "\(plan)")
        #expect(plan.contains("client_live_phone") && plan.contains("client_store_phone"), "\(plan)")
    }

    /// The export still reads one range of its index, in order.
    @Test(.enabled(if: TestEngine.databaseURL != nil))
    func theExportReadsItsIndex() throws {
        let storage = try TestEngine.postgres.storage(ClientServiceDefinition())
        let plan = try storage.write { db in
            try db.execute("SET LOCAL enable_seqscan = off")
            return try db.rows("EXPLAIN SELECT * FROM client WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?", ["s1", "", 501])
                .map { $0[0] as String }.joined(separator: "\n")
        }
        #expect(plan.contains("client_store_id") && !plan.contains("Sort"), "\(plan)")
    }
}
