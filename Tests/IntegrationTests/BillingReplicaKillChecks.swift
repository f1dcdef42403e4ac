import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import PostgresClient
import Testing

extension BrokerSuite.BillingReplicaKillOnPostgresTests {
    /// What the stream must leave, whichever replica read what and whatever the kill cut short.
    static func check(_ db: PostgresConnection, client: RequestClient, tap: EventTap) throws {
        let quarter = ordersPerClient / 4
        // Orders: kinds 0 and 3 keep their expense; kind 0 and odd clients' kind 3 are paid once.
        #expect(try count(db, "SELECT COUNT(*) FROM billing_expense WHERE order_id IS NOT NULL AND NOT deleted") == accounts * 2 * quarter)
        #expect(try count(db, "SELECT COUNT(*) FROM billing_payment WHERE order_id IS NOT NULL AND state = 'paid'")
                == accounts * quarter + accounts / 2 * quarter)
        #expect(try count(db, "SELECT COUNT(*) FROM billing_payment WHERE order_id IS NOT NULL AND state NOT IN ('paid', 'reversed')") == 0)
        // Commands: every expense and payment once, paid.
        #expect(try count(db, "SELECT COUNT(*) FROM billing_expense WHERE expense_id LIKE 'e-%' AND NOT deleted") == accounts * rounds)
        #expect(try count(db, "SELECT COUNT(*) FROM billing_payment WHERE payment_id LIKE 'p-%' AND state = 'paid'") == accounts * rounds)
        #expect(try count(db, """
            SELECT COUNT(*) FROM (SELECT ref_id, kind FROM billing_ledger GROUP BY ref_id, kind HAVING COUNT(*) > 1) twice
            """) == 0, "no ledger entry written twice")

        let changes = try db.execute("SELECT account_id, new_value FROM billing_account_change WHERE field = 'blocked' ORDER BY change_id").rows
        let events = try tap.collect(changes.count + 1_000, timeout: .seconds(5))
        let decoded = try events.map { (id: $0.messageID ?? "", blocked: $0.type == "billing.account.blocked",
                                        account: try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body).accountID) }
        let distinct = Set(decoded.map(\.id))
        print("billing kill: \(events.count) blocking events, \(distinct.count) distinct ids, \(changes.count) transitions")
        #expect(distinct.count == changes.count, "one event per transition")
        for i in 0..<accounts {
            let account = try client.result(of: "billing.account.get", body: body(BillingAccountRef(storeID: "s1", accountID: "a\(i)")),
                                            as: BillingAccount.self)
            let ledger = try count(db, "SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE account_id = 'a\(i)'")
            let expected = i % 2 == 0 ? -900 * quarter : 0
            #expect(account.balance.amount == Int64(ledger) && ledger == expected, "a\(i): \(account.balance.amount), ledger \(ledger)")
            #expect(account.blocked == (i % 2 == 0) && account.servicesSuspended == (i % 2 == 0 ? 1 : 0), "a\(i)")

            // Transitions alternate (blocked, unblocked, ...) and end in the account's state; one event id each.
            let sequence = changes.filter { $0[0] == "a\(i)" }.map { $0[1] == "true" }
            #expect(sequence.enumerated().allSatisfy { $0.element == ($0.offset % 2 == 0) }, "a\(i) alternates: \(sequence)")
            #expect((sequence.last ?? false) == account.blocked)
            var seen = Set<String>()
            let mine = decoded.filter { $0.account == "a\(i)" && seen.insert($0.id).inserted }.map(\.blocked)
            #expect(mine.count == sequence.count && mine.filter { $0 }.count == sequence.filter { $0 }.count,
                    "a\(i): events \(mine), changes \(sequence)")
        }
        // Only the killed relay's last batch may come twice, under the same message ids.
        #expect(events.count - distinct.count <= 1_000)
    }

    /// The overdue timer (every second, elected) still runs after the kill: a payment past its
    /// deadline blocks its account once.
    static func overdueOnce(_ db: PostgresConnection, client: RequestClient, tap: EventTap) throws {
        try BrokerSuite.BillingReplicasOnPostgresTests.openLatePayment(client: client)
        #expect(try tap.collect(1, timeout: .seconds(2)).isEmpty, "not overdue yet")
        // Five days pass: the deadline is moved back instead (times are text in SQLTime form).
        _ = try db.execute("UPDATE billing_payment SET block_at = '2000-01-01 00:00:00.000' WHERE payment_id = 'p-late'")
        let first = try #require(try tap.collect(1, timeout: .seconds(15)).first)
        let event = try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: first.body)
        #expect(event.accountID == "late" && event.reason == "overdue")
        #expect(try tap.collect(1, timeout: .seconds(3)).isEmpty, "three turns later, still one event")
        #expect(try count(db, "SELECT COUNT(*) FROM billing_account_change WHERE account_id = 'late' AND field = 'blocked'") == 1)
    }
}
