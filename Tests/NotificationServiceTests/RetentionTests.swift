import Contracts
import CRMTestSupport
import Foundation
@testable import NotificationService
import SQLStore
import Testing
@testable import WorkerKit

/// The delivery log's retention: ended deliveries older than the retention go with their
/// attempts (and old webhook deliveries); recent and pending ones stay. It runs on the service's
/// timer, so it prunes while no message comes in at all.
@Suite struct RetentionTests {
    @Test(arguments: TestEngine.all) func oldEndedDeliveriesArePruned(engine: TestEngine) throws {
        let h = try NotificationHarness(engine: engine)
        let now = Date()
        let old = now.addingTimeInterval(-100 * 86_400), recent = now.addingTimeInterval(-86_400)
        try h.storage.write { db in
            for (id, created, status) in [("d-old", old, "delivered"), ("d-old-2", old, "failed"), ("d-old-3", old, "delivered"),
                                          ("d-old-pending", old, "pending"), ("d-new", recent, "failed")] {
                try db.execute("""
                    INSERT INTO notification_delivery (delivery_id, store_id, origin_key, channel, recipient, template, locale,
                        category, status, attempts, created_at) VALUES (?, 's1', ?, 'email', 'a@example.ru', 'welcome', 'ru',
                        'transactional', ?, 1, ?)
                    """, [id, id, status, SQLTime.text(created)])
                try db.execute("INSERT INTO notification_attempt (delivery_id, seq, calls, result, at) VALUES (?, 1, 1, 'failed', ?)",
                               [id, SQLTime.text(created)])
            }
            for (id, created) in [("whd-old", old), ("whd-new", recent)] {
                try db.execute("""
                    INSERT INTO notification_webhook_delivery (delivery_id, webhook_id, store_id, event_id, event_type, body, state, created_at)
                    VALUES (?, 'wh-1', 's1', ?, 'order.placed', '{}', 'delivered', ?)
                    """, [id, id, created])
            }
        }
        // Batches of two: the three old ended deliveries take two transactions of one run.
        let retention = DeliveryRetention(keep: .seconds(90 * 86_400), interval: .seconds(3600), batch: 2)
        try runTimer(retention.timer, h)
        #expect(try h.storage.read { db in
            try db.column("SELECT delivery_id FROM notification_delivery ORDER BY delivery_id", as: String.self)
        } == ["d-new", "d-old-pending"])
        #expect(try h.count("SELECT COUNT(*) FROM notification_attempt WHERE delivery_id LIKE 'd-old%'") == 1)
        #expect(try h.count("SELECT COUNT(*) FROM notification_attempt") == 2)
        #expect(try h.storage.read { db in try db.column("SELECT delivery_id FROM notification_webhook_delivery", as: String.self) }
                == ["whd-new"])
        // A row that became old goes at the next run.
        try h.storage.write { db in
            try db.execute("UPDATE notification_delivery SET created_at = ? WHERE delivery_id = 'd-new'", [SQLTime.text(old)])
        }
        try runTimer(retention.timer, h)
        #expect(try h.count("SELECT COUNT(*) FROM notification_delivery") == 1)
    }

    @Test func theServiceRunsTheRetentionOnATimer() throws {
        let definition = NotificationServiceDefinition(secrets: .random(), outbound: OutboundPolicy(allowLoopback: true),
                                                       catalog: NotificationHarness.catalog, retention: .seconds(7 * 86_400))
        #expect(definition.timers.map(\.name) == ["delivery-retention"])
        #expect(definition.timers.first?.every == .seconds(600))
    }

    /// One turn of `timer`, as the worker's timer thread runs it (elected on PostgreSQL).
    private func runTimer(_ timer: WorkerTimer, _ h: NotificationHarness) throws {
        let runner = TimerRunner(timers: [timer], storage: h.storage, service: NotificationHarness.service,
                                 serviceUser: NotificationHarness.service)
        try runner.tick(timer)
    }

    @Test func theRetentionComesFromTheEnvironment() throws {
        #expect(try DeliveryRetention.fromEnvironment([:]) == .seconds(90 * 86_400))
        #expect(try DeliveryRetention.fromEnvironment(["CRM_NOTIFICATION_RETENTION_DAYS": "7"]) == .seconds(7 * 86_400))
        #expect(throws: SettingError.self) { try DeliveryRetention.fromEnvironment(["CRM_NOTIFICATION_RETENTION_DAYS": "0"]) }
    }
}
