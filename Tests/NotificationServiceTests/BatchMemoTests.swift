import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// A batch's sends read the store's settings and template once (`BatchMemo`); a change made by
/// a message of the same batch is seen by the sends after it, and by none before it.
@Suite struct BatchMemoTests {
    @Test(arguments: TestEngine.all) func aChangeInTheBatchIsSeenByTheSendsAfterIt(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", maxAttempts: 3),
                         as: NotificationSettingsView.self)
        let send = { (to: String) in
            NotificationSend(storeID: "s1", channel: .email, recipient: to, template: "order_shipped", locale: "en",
                             params: ["first_name": .string("Anna"), "order_id": .string("42")])
        }
        let outcomes = try h.sendBatch([
            ("notification.send", send("a@example.ru")),
            ("notification.template.upsert", NotificationTemplateUpsert(
                storeID: "s1", name: "order_shipped", locale: "en", subject: "Shipped {{order_id}}", text: "New text for {{first_name}}")),
            ("notification.send", send("b@example.ru")),
            ("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", maxAttempts: 7)),
            ("notification.send", send("c@example.ru")),
        ])
        #expect(outcomes.allSatisfy { if case .handled = $0 { true } else { false } })
        let emails = try h.emails()
        #expect(emails.map(\.send.to) == ["a@example.ru", "b@example.ru", "c@example.ru"])
        #expect(!emails[0].send.text.contains("New text"))
        #expect(emails[1].send.text == "New text for Anna" && emails[2].send.text == "New text for Anna")
        let attempts = try h.storage.read { db in try db.column("SELECT max_attempts FROM effect ORDER BY id", as: Int.self) }
        #expect(attempts == [3, 3, 7])
    }
}
