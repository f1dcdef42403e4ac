import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// Sends to clients from the service's copy of the cards, the e-mails handed to the e-mail
/// channel (its effect rows) and its results, and the automatic sends.
@Suite struct EmailAndClientTests {
    @Test(arguments: TestEngine.all) func aRegisteredBuyerIsWelcomedOnceAndAGuestIsNot(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", senderName: "Чайная лавка"),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("c1"), messageID: "created-c1")
        try h.publish("client.created", card("c2", email: "guest@example.ru", source: "order"))
        try h.publish("client.created", card("c3", email: "quiet@example.ru", noRegistrationEmail: true))
        try h.publish("client.created", card("c4", email: nil))
        let emails = try h.emails()
        #expect(emails.map(\.send.to) == ["anna@example.ru"])
        let welcome = try #require(emails.first).send
        #expect(welcome.subject == "Добро пожаловать в Чайная лавка")
        #expect(welcome.text.hasPrefix("Здравствуйте, Анна!") && welcome.html?.contains("<b>Чайная лавка</b>") == true)
        // The same event again (a replay by an admin: another sender, the same message id).
        try h.publish("client.created", card("c1"), messageID: "created-c1", as: DevelopmentUsers.adminName)
        #expect(try h.emails().count == 1)

        try h.emailDone(emails[0].id, welcome, sent: true)
        try h.emailDone(emails[0].id, welcome, sent: true)
        let delivered = try h.events("notification.delivered", as: NotificationOutcome.self)
        #expect(delivered.map(\.deliveryID) == [welcome.deliveryID], "a result handled twice is announced once")
        #expect(delivered.first?.clientID == "c1" && delivered.first?.template == "welcome")
        let log = try h.result("notification.deliveries", NotificationDeliveriesQuery(storeID: "s1", clientID: "c1"),
                               as: NotificationDeliveriesResult.self)
        #expect(log.deliveries.map(\.status) == [.delivered] && log.deliveries.first?.attempts.count == 1)
    }

    @Test(arguments: TestEngine.all) func theWelcomeCanBeSwitchedOff(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        let view = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", autoSends: ["welcome": false]),
                                as: NotificationSettingsView.self)
        #expect(view.autoSends == ["welcome": false, "reliability_no_trust": true, "activation": true, "password_reset": true,
                                   "invoice_issued": true, "account_blocked": true, "dedupe_summary": true])
        try h.publish("client.created", card("c1"))
        #expect(try h.emails().isEmpty)
    }

    @Test(arguments: TestEngine.all) func theLocaleFallsBackFromTheClientToTheStore(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", autoSends: ["welcome": false]),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("en-client", email: "li@example.com", language: "en-GB"))
        try h.publish("client.created", card("de-client", email: "max@example.de", language: "de"))
        func send(_ client: String, template: String = "order_shipped") throws -> NotificationSendResult {
            try h.result("notification.send", NotificationSend(
                storeID: "s1", channel: .email, clientID: client, template: template,
                params: ["first_name": .string("X"), "order_id": .string("7")]), as: NotificationSendResult.self)
        }
        _ = try send("en-client")
        _ = try send("de-client")
        // A store template only in Russian: the English client gets it in the store's locale.
        _ = try h.result("notification.template.upsert", NotificationTemplateUpsert(
            storeID: "s1", name: "promo", locale: "ru", subject: "Скидка для {{first_name}}", text: "Заказ {{order_id}}"),
            as: NotificationTemplateView.self)
        _ = try send("en-client", template: "promo")
        #expect(try h.emails().map(\.send.subject) == ["Order 7 has shipped", "Заказ 7 отправлен", "Скидка для X"])
        let log = try h.result("notification.deliveries", NotificationDeliveriesQuery(storeID: "s1", clientID: "en-client"),
                               as: NotificationDeliveriesResult.self)
        #expect(Set(log.deliveries.map(\.locale)) == ["en", "ru"])
    }

    @Test(arguments: TestEngine.all) func marketingHonoursTheFlagsAndADeletedClientGetsNothing(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", autoSends: ["welcome": false]),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("yes", email: "yes@example.ru", newsletter: true, promoSMS: false))
        try h.publish("client.created", card("gone", email: "gone@example.ru", newsletter: true))
        try h.publish("client.deleted", ClientLifecycle(clientID: "gone", storeID: "s1", version: 2, at: Date()))
        // An older update arriving late does not bring the card back.
        var late = card("gone", version: 1, email: "gone@example.ru", newsletter: true)
        late.changedFields = ["newsletter"]
        try h.publish("client.updated", late)
        func send(_ client: String, _ channel: NotificationSend.Channel, _ category: NotificationSend.Category) throws -> NotificationSendResult {
            try h.result("notification.send", NotificationSend(
                storeID: "s1", channel: channel, clientID: client, template: "order_shipped",
                params: ["first_name": .string("X"), "order_id": .string("7")], category: category), as: NotificationSendResult.self)
        }
        #expect(try send("yes", .email, .marketing).status == .pending)
        #expect(try send("yes", .sms, .marketing).reason == "opted_out")
        #expect(try send("yes", .sms, .transactional).status == .pending)
        #expect(try send("gone", .email, .transactional).reason == "client_deleted")
        let unknown = try h.ask("notification.send", NotificationSend(
            storeID: "s1", channel: .email, clientID: "nobody", template: "order_shipped", params: [:]))
        #expect(unknown.error?.code == .notFound)
        #expect(try h.events("notification.failed", as: NotificationOutcome.self).map(\.reason) == ["opted_out", "client_deleted"])
    }

    @Test(arguments: TestEngine.all) func aMergedClientsSendsGoToTheSurvivor(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", autoSends: ["welcome": false]),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("dup", email: "old@example.ru"))
        try h.publish("client.created", card("main", email: "main@example.ru"))
        try h.publish("client.merged", ClientMerged(storeID: "s1", survivorID: "main", mergedIDs: ["dup"], mergedAt: Date()))
        _ = try h.result("notification.send", NotificationSend(
            storeID: "s1", channel: .email, clientID: "dup", template: "order_shipped",
            params: ["first_name": .string("X"), "order_id": .string("7")]), as: NotificationSendResult.self)
        #expect(try h.emails().map(\.send.to) == ["main@example.ru"])
    }

    @Test(arguments: TestEngine.all) func aNoTrustCheckAlertsTheStoresOperators(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        let checked = { (status: ExternalStatus) in
            ReliabilityChecked(storeID: "s1", clientID: "c1", phone: "+79123456789", status: status,
                               checkedAt: Date(timeIntervalSince1970: 1_714_521_600), trigger: .autoCOD)
        }
        try h.publish("reliability.checked", checked(.noTrust))
        #expect(try h.emails().isEmpty, "no operator address: nothing to send")
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", operatorAddress: "Ops@Example.RU"),
                         as: NotificationSettingsView.self)
        try h.publish("reliability.checked", checked(.trusted))
        try h.publish("reliability.checked", checked(.noTrust))
        let alert = try #require(try h.emails().first).send
        #expect(try h.emails().count == 1)
        #expect(alert.to == "Ops@example.ru" && alert.subject == "Внимание: покупатель +79123456789 в чёрном списке")
        #expect(alert.text.contains("(клиент c1)") && alert.text.contains("2024-05-01T00:00:00.000Z (auto_cod)"))
        try h.emailDone(try h.emails()[0].id, alert, sent: false, attempts: 5)
        let failed = try #require(try h.events("notification.failed", as: NotificationOutcome.self).first)
        #expect(failed.reason == "the server refused the message: 550 no such user" && failed.attempts == 5)
    }
}
