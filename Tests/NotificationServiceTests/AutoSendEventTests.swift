import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// The automatic sends on the events of billing-service, dedupe-service and (when it publishes
/// them) client-service's activation and password reset; and an automatic send that cannot be
/// made (no template, an unknown client) ending as a failed delivery while the event goes on.
@Suite struct AutoSendEventTests {
    static let at = Date(timeIntervalSince1970: 1_714_521_600)

    static func harness(_ engine: TestEngine) throws -> NotificationHarness {
        var h = try NotificationHarness(engine: engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(
            storeID: "s1", senderName: "Чайная лавка", operatorAddress: "ops@shop.example.ru", autoSends: ["welcome": false]),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("c1", language: "en"))
        try h.publish("client.created", card("c2", email: nil, phone: "+79123456780"))
        return h
    }

    @Test(arguments: TestEngine.all) func anIssuedInvoiceIsMailedWithItsPDF(engine: TestEngine) throws {
        var h = try Self.harness(engine)
        let pdf = Data("%PDF-1.4 invoice".utf8).base64EncodedString()
        try h.publish("billing.invoice.issued", BillingInvoiceIssued(
            storeID: "s1", clientID: "c1", accountID: "a1", invoiceID: "i1", number: "2024-0007",
            total: Money(amount: 123_456, currency: "RUB"), locale: "ru", filename: "invoice-2024-0007.pdf",
            pdfBase64: pdf, issuedAt: Self.at), as: "billing-service")
        let mail = try #require(try h.emails().first).send
        #expect(mail.to == "anna@example.ru")
        #expect(mail.subject == "Счёт № 2024-0007 от Чайная лавка", "the invoice's language, not the client's")
        #expect(mail.text.contains("1 234.56 RUB") && mail.html?.contains("<b>2024-0007</b>") == true)
        #expect(mail.attachments == [EmailAttachment(filename: "invoice-2024-0007.pdf", contentType: "application/pdf", contentBase64: pdf)])
    }

    @Test(arguments: TestEngine.all) func aBlockedAccountIsToldAndADedupeRunIsSummed(engine: TestEngine) throws {
        var h = try Self.harness(engine)
        try h.publish("billing.account.blocked", BillingAccountBlocking(
            storeID: "s1", clientID: "c1", accountID: "a1", providerID: "p1", reason: "overdue",
            balance: Money(amount: -50_000, currency: "RUB"), servicesChanged: 2, at: Self.at), as: "billing-service")
        try h.publish("dedupe.run.completed", DedupeRunCompleted(
            storeID: "s1", runID: "r1", jobID: "j1", startedBy: "operator-demo", automatic: false,
            groupsMerged: 12, clientsMerged: 27, groupsSkipped: 1, groupsRefused: 2, finishedAt: Self.at), as: "dedupe-service")
        let mails = try h.emails().map(\.send)
        #expect(mails.map(\.to) == ["anna@example.ru", "ops@shop.example.ru"])
        #expect(mails[0].subject == "Services suspended — Чайная лавка", "the client's language")
        #expect(mails[0].text.contains("a payment is overdue") && mails[0].text.contains("-500.00 RUB"))
        #expect(mails[1].subject == "Объединение дублей: 12 групп, 27 карточек" && mails[1].text.contains("запустил operator-demo"))
        #expect(mails[1].text.contains("Отклонено client-service: 2"), "the refused groups: \(mails[1].text)")
    }

    @Test(arguments: TestEngine.all) func activationAndPasswordResetReachTheClient(engine: TestEngine) throws {
        var h = try Self.harness(engine)
        try h.publish("client.activation_requested", ClientAccessRequested(
            storeID: "s1", clientID: "c1", link: "https://shop.example.ru/activate?t=abc", expiresAt: Self.at), as: "client-service")
        try h.publish("client.password_reset_requested", ClientAccessRequested(
            storeID: "s1", clientID: "c2", code: "482913", expiresAt: Self.at), as: "client-service")
        let mail = try #require(try h.emails().first).send
        #expect(mail.subject == "Confirm your account at Чайная лавка" && mail.text.contains("https://shop.example.ru/activate?t=abc"))
        #expect(!mail.text.contains("code"), "no code was given")
        // c2 has a phone only: the code goes by SMS (the store has no gateway, so it fails there).
        let sms = try h.value("SELECT payload FROM effect WHERE kind = 'notification.sms'", as: Data.self)
        #expect(String(decoding: try #require(sms), as: UTF8.self).contains("482913"))
    }

    @Test(arguments: TestEngine.all) func eachSendCanBeSwitchedOffPerStore(engine: TestEngine) throws {
        var h = try Self.harness(engine)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(
            storeID: "s1", autoSends: ["invoice_issued": false, "activation": false]), as: NotificationSettingsView.self)
        try h.publish("billing.invoice.issued", BillingInvoiceIssued(
            storeID: "s1", clientID: "c1", accountID: "a1", invoiceID: "i1", number: "1", total: Money(amount: 1, currency: "RUB"),
            locale: "ru", filename: "i.pdf", pdfBase64: "JVBERg==", issuedAt: Self.at), as: "billing-service")
        try h.publish("client.activation_requested", ClientAccessRequested(storeID: "s1", clientID: "c1", code: "1", expiresAt: Self.at),
                      as: "client-service")
        #expect(try h.count("SELECT COUNT(*) FROM notification_delivery") == 0)
    }

    @Test(arguments: TestEngine.all) func aMissingTemplateIsAFailedDeliveryAndTheEventGoesOn(engine: TestEngine) throws {
        // A catalog without `invoice_issued`: the event is still handled (its webhook recorded).
        var h = try NotificationHarness(engine: engine, catalog: .empty)
        _ = try h.result("notification.settings.update", NotificationSettingsUpdate(storeID: "s1", autoSends: ["welcome": false]),
                         as: NotificationSettingsView.self)
        try h.publish("client.created", card("c1"))
        _ = try h.result("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "http://127.0.0.1:9/hook", eventTypes: ["billing.invoice.issued"]), as: NotificationWebhookAdded.self)
        try h.publish("billing.invoice.issued", BillingInvoiceIssued(
            storeID: "s1", clientID: "c1", accountID: "a1", invoiceID: "i1", number: "1", total: Money(amount: 1, currency: "RUB"),
            locale: "ru", filename: "i.pdf", pdfBase64: "JVBERg==", issuedAt: Self.at), as: "billing-service")
        try h.publish("billing.account.blocked", BillingAccountBlocking(
            storeID: "s1", clientID: "unknown", accountID: "a1", providerID: "p1", reason: "overdue",
            balance: Money(amount: -1, currency: "RUB"), servicesChanged: 0, at: Self.at), as: "billing-service")
        let failed = try h.events("notification.failed", as: NotificationOutcome.self)
        #expect(failed.map(\.template) == ["invoice_issued", "account_blocked"])
        #expect(failed.first?.reason?.hasPrefix("template: no template invoice_issued") == true)
        #expect(failed.last?.reason == "client_unknown")
        #expect(try h.emails().isEmpty)
        #expect(try h.count("SELECT COUNT(*) FROM notification_webhook_delivery") == 1, "the event's webhook went on")
        // A command is still refused for the same cause: its sender is there to be told.
        let reply = try h.ask("notification.send", NotificationSend(storeID: "s1", channel: .email, clientID: "c1", template: "invoice_issued"))
        #expect(reply.error?.code == .validationFailed && reply.error?.details.map(\.field) == ["template"])
    }
}
