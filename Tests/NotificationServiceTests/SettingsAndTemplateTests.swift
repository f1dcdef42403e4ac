import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// `notification.settings.*` (secrets sealed, never answered) and `notification.template.*`.
@Suite struct SettingsAndTemplateTests {
    @Test(arguments: TestEngine.all) func secretsAreSealedAndNeverAnswered(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        let defaults = try h.result("notification.settings.get", NotificationSettingsGet(storeID: "s1"), as: NotificationSettingsView.self)
        #expect(defaults.locale == "ru" && defaults.maxAttempts == 5 && defaults.recipientHourlyLimit == 20 && !defaults.smsTokenSet)
        let reply = try h.ask("notification.settings.update", NotificationSettingsUpdate(
            storeID: "s1", smtpURL: "smtp://127.0.0.1:2525", smtpLogin: "shop", smtpPassword: "pw-secret",
            smsURL: "http://127.0.0.1:9/send", smsToken: "tok-secret", locale: "en"))
        let text = String(decoding: try JSONCoding.encoder.encode(reply), as: UTF8.self)
        #expect(reply.ok && !text.contains("secret"))
        let view = try h.result("notification.settings.get", NotificationSettingsGet(storeID: "s1"), as: NotificationSettingsView.self)
        #expect(view.smtpPasswordSet && view.smsTokenSet && view.locale == "en" && view.smtpLogin == "shop")
        let sealed = try #require(try h.value("SELECT sms_token_sealed FROM notification_settings WHERE store_id = 's1'", as: String.self))
        #expect(sealed.hasPrefix("v1:") && !sealed.contains("tok-secret"))
        #expect(try h.secrets.open(sealed, context: "notification/s1/sms_token") == "tok-secret")
        // Another change keeps the sealed secrets as they were.
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", senderName: "Лавка"),
                         as: NotificationSettingsView.self)
        #expect(try h.value("SELECT sms_token_sealed FROM notification_settings WHERE store_id = 's1'", as: String.self) == sealed)
    }

    @Test(arguments: TestEngine.all) func movingAURLNeedsItsSecretAgain(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(
            storeID: "s1", smtpURL: "smtp://127.0.0.1:2525", smtpPassword: "pw", smsURL: "http://127.0.0.1:9/send", smsToken: "tok"),
            as: NotificationSettingsView.self)
        let sms = try h.ask("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", smsURL: "http://127.0.0.1:10/send"))
        #expect(sms.error?.details.first?.field == "sms_token" && sms.error?.details.first?.problem == "required_with_sms_url")
        let smtp = try h.ask("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", smtpURL: "smtps://127.0.0.1:465"))
        #expect(smtp.error?.details.first?.field == "smtp_password")
        let refused = try h.ask("notification.settings.update", NotificationSettingsUpdate(
            storeID: "s2", smsURL: "ftp://127.0.0.1/send", smsToken: "t"))
        #expect(refused.error?.code == .validationFailed && refused.error?.details.first?.field == "sms_url")
        let badAddress = try h.ask("notification.settings.update", NotificationSettingsUpdate(storeID: "s2", operatorAddress: "ops@"))
        #expect(badAddress.error?.details.first?.field == "operator_address")
    }

    @Test(arguments: TestEngine.all) func aStoresOwnTemplateReplacesTheBuiltInOne(engine: TestEngine) throws {
        var h = try NotificationHarness(engine: engine)
        let builtin = try h.result("notification.template.get", NotificationTemplateGet(storeID: "s1", name: "welcome", locale: "en"),
                                   as: NotificationTemplateView.self)
        #expect(builtin.source == .builtin && builtin.subject == "Welcome to {{store_name}}")
        let saved = try h.result("notification.template.upsert", NotificationTemplateUpsert(
            storeID: "s1", name: "welcome", locale: "en", subject: "Hi from {{store_name}}", text: "Hi {{first_name}}"),
            as: NotificationTemplateView.self)
        #expect(saved.source == .store && saved.updatedAt != nil)
        let list = try h.result("notification.template.list", NotificationTemplateList(storeID: "s1"), as: NotificationTemplateListResult.self)
        let welcomes = list.templates.filter { $0.name == "welcome" }
        #expect(welcomes.map(\.locale) == ["en", "ru"] && welcomes.map(\.source) == [.store, .builtin])
        let otherStore = try h.result("notification.template.get", NotificationTemplateGet(storeID: "s2", name: "welcome", locale: "en"),
                                      as: NotificationTemplateView.self)
        #expect(otherStore.source == .builtin, "one store's template is its own")
        let rendered = try h.result("notification.template.render", NotificationTemplateRender(
            storeID: "s1", name: "welcome", locale: "en", params: ["first_name": .string("Li"), "store_name": .string("Tea")]),
            as: NotificationRendered.self)
        #expect(rendered.subject == "Hi from Tea" && rendered.text == "Hi Li" && rendered.html == nil)
        let missing = try h.ask("notification.template.render", NotificationTemplateRender(
            storeID: "s1", name: "welcome", locale: "en", params: ["first_name": .string("Li")]))
        #expect(missing.error?.code == .validationFailed && missing.error?.details.map(\.field) == ["params.store_name"])
        let broken = try h.ask("notification.template.upsert", NotificationTemplateUpsert(
            storeID: "s1", name: "welcome", locale: "ru", text: "{{#unclosed}}"))
        #expect(broken.error?.details.first?.field == "text" && broken.error?.details.first?.problem == "invalid_template")
        let none = try h.ask("notification.template.get", NotificationTemplateGet(storeID: "s1", name: "nothing", locale: "ru"))
        #expect(none.error?.code == .notFound)
    }
}
