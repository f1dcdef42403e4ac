import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
import WorkerKit

/// `notification.webhook.add/remove/list` over a real database: the secret is answered once and
/// stored sealed, the list never shows it, and bad input is refused naming the field.
@Suite struct WebhookRegistryTests {
    static let operatorUser = DevelopmentUsers.operatorName

    @Test(arguments: TestEngine.all) func theSecretIsShownOnceAndStoredSealed(engine: TestEngine) throws {
        var h = try WebhookHarness(engine: engine)
        let reply = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "https://erp.example.com/hooks", eventTypes: ["order.status_changed", "client.created", "billing.invoice.issued"],
            description: "ERP"), user: Self.operatorUser)
        let added = try JSONCoding.decoder.decode(NotificationWebhookAdded.self, from: JSONCoding.encoder.encode(try #require(reply.result)))
        #expect(added.secret.hasPrefix("whsec_") && added.secret.count == 70)
        // A type no service publishes yet is accepted: it waits.
        #expect(added.webhook.eventTypes == ["billing.invoice.issued", "client.created", "order.status_changed"])
        let sealed = try #require(try h.value("SELECT secret_sealed FROM notification_webhook", as: String.self))
        #expect(sealed.hasPrefix("v1:") && !sealed.contains(added.secret))
        #expect(try h.value("SELECT created_by FROM notification_webhook", as: String.self) == Self.operatorUser)

        let listReply = try h.ask("notification.webhook.list", NotificationWebhookList(storeID: "s1"), user: Self.operatorUser)
        let listed = try JSONCoding.encoder.encode(try #require(listReply.result))
        #expect(!String(decoding: listed, as: UTF8.self).contains("whsec_"), "the list never shows the secret")
        let list = try JSONCoding.decoder.decode(NotificationWebhookListResult.self, from: listed)
        #expect(list.webhooks == [added.webhook])

        // Another store's list is empty; another store cannot remove it.
        #expect(try h.result("notification.webhook.list", NotificationWebhookList(storeID: "s2"), as: NotificationWebhookListResult.self)
            .webhooks.isEmpty)
        let wrongStore = try h.ask("notification.webhook.remove", NotificationWebhookRemove(storeID: "s2", webhookID: added.webhook.webhookID))
        #expect(wrongStore.error?.code == .notFound)
        let removed = try h.result("notification.webhook.remove", NotificationWebhookRemove(storeID: "s1", webhookID: added.webhook.webhookID),
                                   as: NotificationWebhookRemoved.self)
        #expect(removed == NotificationWebhookRemoved(webhookID: added.webhook.webhookID))
        #expect(try h.count("SELECT COUNT(*) FROM notification_webhook_type") == 0)
        let again = try h.ask("notification.webhook.remove", NotificationWebhookRemove(storeID: "s1", webhookID: added.webhook.webhookID))
        #expect(again.error?.code == .notFound)
    }

    @Test(arguments: TestEngine.all) func badEndpointsAreRefusedNamingTheField(engine: TestEngine) throws {
        var h = try WebhookHarness(engine: engine, outbound: .publicOnly)
        let loopback = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "https://127.0.0.1/hooks", eventTypes: ["client.created"]), user: Self.operatorUser)
        #expect(loopback.error?.code == .validationFailed)
        #expect(loopback.error?.details.first == ErrorDetail(field: "url", problem: "loopback_not_allowed"))
        let plain = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "http://erp.example.com/hooks", eventTypes: ["client.created"]), user: Self.operatorUser)
        #expect(plain.error?.details.first == ErrorDetail(field: "url", problem: "https_required"))
        let noTypes = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "https://erp.example.com/hooks", eventTypes: []), user: Self.operatorUser)
        #expect(noTypes.error?.code == .validationFailed && noTypes.error?.details.first?.field == "event_types")
        let badType = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "https://erp.example.com/hooks", eventTypes: ["Client Created"]), user: Self.operatorUser)
        #expect(badType.error?.details.first?.field == "event_types[0]")
        // An operator of other stores may not touch this one's endpoints.
        let foreign = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s9", url: "https://erp.example.com/hooks", eventTypes: ["client.created"]), user: Self.operatorUser)
        #expect(foreign.error?.code == .unauthorized)
        #expect(try h.count("SELECT COUNT(*) FROM notification_webhook") == 0)
    }

    @Test(arguments: TestEngine.all) func aStoreHasAtMostTwentyEndpoints(engine: TestEngine) throws {
        var h = try WebhookHarness(engine: engine)
        for n in 0..<20 {
            let reply = try h.ask("notification.webhook.add", NotificationWebhookAdd(
                storeID: "s1", url: "https://erp.example.com/hooks/\(n)", eventTypes: ["client.created"]))
            #expect(reply.ok)
        }
        let over = try h.ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: "https://erp.example.com/hooks/20", eventTypes: ["client.created"]))
        #expect(over.error?.code == .conflict)
    }
}
