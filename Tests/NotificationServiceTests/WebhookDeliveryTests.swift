import Contracts
import CRMTestSupport
import Foundation
import HTTPClient
import NotificationService
import Testing
import WorkerKit

/// Events posted to a real receiver on 127.0.0.1 (scripts/webhook_receiver.py, which checks each
/// signature with the README's Python check): what arrives, what is retried, what stops at once.
@Suite(.serialized) struct WebhookDeliveryTests {
    /// Registers endpoint `name` of the receiver for store s1 and hands it the answered secret.
    static func subscribe(_ h: inout WebhookHarness, _ receiver: WebhookReceiver, _ name: String,
                          types: [String] = ["client.created", "order.status_changed"], store: String = "s1") throws -> NotificationWebhookAdded {
        let added = try h.result("notification.webhook.add", NotificationWebhookAdd(storeID: store, url: receiver.url(name), eventTypes: types),
                                 as: NotificationWebhookAdded.self)
        try receiver.setSecret(added.secret, for: name)
        return added
    }

    static func delivery(_ h: WebhookHarness, _ webhookID: String) throws -> (state: String?, attempts: Int, status: Int?, reason: String?) {
        try h.storage.read { db in
            let row = try #require(try db.row("SELECT state, attempts, http_status, reason FROM notification_webhook_delivery WHERE webhook_id = ?",
                                             [webhookID]))
            return (row["state"], row["attempts"], row["http_status"], row["reason"])
        }
    }

    @Test(arguments: TestEngine.all) func aSubscribedEventArrivesSignedOnceAtItsStoresEndpointsOnly(engine: TestEngine) throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        var h = try WebhookHarness(engine: engine)
        let erp = try Self.subscribe(&h, receiver, "erp")
        _ = try Self.subscribe(&h, receiver, "other-store", store: "s2")
        _ = try Self.subscribe(&h, receiver, "orders-only", types: ["order.status_changed"])

        let event = try exampleEvent("client.created", store: "s1")
        try h.send("client.created", event, messageID: "evt-1")
        try h.send("client.created", event, messageID: "evt-1")  // redelivered: read once
        try h.settle()
        let received = try receiver.waitFor(1)
        #expect(received.count == 1, "one endpoint of s1 takes client.created: \(received.map(\.endpoint))")
        let post = try #require(received.first)
        #expect(post.endpoint == "erp" && post.status == 200, "\(post.reason)")
        #expect(post.header("X-CRM-Event-ID") == "evt-1")
        #expect(post.header("X-CRM-Event-Type") == "client.created")
        #expect(post.header("Content-Type") == "application/json")
        let timestamp = try #require(post.header("X-CRM-Timestamp").flatMap(Int64.init))
        #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 60)
        #expect(post.header("X-CRM-Signature") == WebhookSignature.sign(secret: erp.secret, timestamp: timestamp, body: Data(post.body.utf8)))
        // The body is the event as published, under `data`, with its id and type beside it.
        let body = try JSONValue.parse(Data(post.body.utf8))
        #expect(body["data"] == (try JSONValue.parse(event)))
        #expect(body["id"] == .string("evt-1") && body["type"] == .string("client.created") && body["store_id"] == .string("s1"))

        let list = try h.result("notification.webhook.list", NotificationWebhookList(storeID: "s1"), as: NotificationWebhookListResult.self)
        let last = try #require(list.webhooks.first { $0.webhookID == erp.webhook.webhookID }?.lastDelivery)
        #expect(last.state == .delivered && last.eventID == "evt-1" && last.attempts == 1 && last.httpStatus == 200)
    }

    @Test(arguments: TestEngine.all) func serverErrorsAreRetriedAndAFinalRefusalStopsAtOnce(engine: TestEngine) throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // The circuit of the receiver's host stays closed here: the endpoints share 127.0.0.1.
        var h = try WebhookHarness(engine: engine, effects: EffectSettings(breakerThreshold: 100, retryBase: .milliseconds(20),
                                                                            retryMax: .milliseconds(100)))
        let flaky = try Self.subscribe(&h, receiver, "flaky")
        let gone = try Self.subscribe(&h, receiver, "gone")
        let busy = try Self.subscribe(&h, receiver, "busy")
        try receiver.setMode("fail 503 2", for: "flaky")
        try receiver.setMode("status 410", for: "gone")
        try receiver.setMode("fail 429 9", for: "busy")

        try h.send("order.status_changed", try exampleEvent("order.status_changed", store: "s1"), messageID: "evt-2")
        try h.settle()
        let received = try receiver.received()
        #expect(received.filter { $0.endpoint == "flaky" }.map(\.status) == [503, 503, 200])
        #expect(received.filter { $0.endpoint == "gone" }.map(\.status) == [410], "a 4xx is not tried again")
        #expect(received.filter { $0.endpoint == "busy" }.map(\.status) == [429, 429, 429, 429, 429], "429 is retried up to 5 attempts")

        let delivered = try Self.delivery(h, flaky.webhook.webhookID)
        #expect(delivered.state == "delivered" && delivered.attempts == 3 && delivered.status == 200)
        let refused = try Self.delivery(h, gone.webhook.webhookID)
        #expect(refused.state == "failed" && refused.attempts == 1 && refused.reason == "the receiver refused the event: HTTP 410")
        let exhausted = try Self.delivery(h, busy.webhook.webhookID)
        #expect(exhausted.state == "failed" && exhausted.attempts == 5 && exhausted.reason == "the receiver answered HTTP 429")
        // Each attempt is signed anew: the retries were accepted by the signature check, not replayed.
        let flakyIDs = Set(received.filter { $0.endpoint == "flaky" }.compactMap { $0.header("X-CRM-Event-ID") })
        #expect(flakyIDs == ["evt-2"])
    }

    @Test func aCapturedRequestReplayedOrTamperedIsRefusedByTheReceiver() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        var h = try WebhookHarness()
        let added = try Self.subscribe(&h, receiver, "erp")
        try h.send("order.status_changed", try exampleEvent("order.status_changed", store: "s1"), messageID: "evt-3")
        try h.settle()
        let original = try #require(try receiver.waitFor(1).first)
        #expect(original.status == 200)

        let http = CurlHTTPClient()
        func post(_ headers: [String: String], _ body: String) throws -> Int {
            var forwarded = headers.filter { $0.key.lowercased().hasPrefix("x-crm-") }
            forwarded["Content-Type"] = "application/json"
            return try http.perform(HTTPRequest(method: .post, url: receiver.url("erp"), headers: forwarded, body: Data(body.utf8))).status
        }
        #expect(try post(original.headers, original.body) == 409, "the same request again: a replay")
        let tampered = original.body.replacingOccurrences(of: "shipped", with: "delivered")
        #expect(tampered != original.body)
        var forged = original.headers.filter { $0.key.lowercased() != "x-crm-event-id" }
        forged["X-CRM-Event-ID"] = "evt-forged"
        #expect(try post(forged, tampered) == 401, "another body under the captured signature")
        #expect(try post(forged, original.body) == 409, "the id that counts is the signed one in the body")
        // Signed correctly, but six minutes ago: a stale capture.
        let old = Int64(Date().timeIntervalSince1970) - 360
        let stale = WebhookSignature.headers(secret: added.secret, eventID: "evt-old", eventType: "order.status_changed",
                                             body: Data(original.body.utf8), at: Date(timeIntervalSince1970: Double(old)))
        #expect(try post(stale, original.body) == 403)
        let wrongKey = WebhookSignature.headers(secret: WebhookSignature.newSecret(), eventID: "evt-4", eventType: "order.status_changed",
                                                body: Data(original.body.utf8), at: Date())
        #expect(try post(wrongKey, original.body) == 401)
    }

    @Test(arguments: TestEngine.all) func aBatchRolledBackPostsOnceAndARemovedEndpointIsNotCalled(engine: TestEngine) throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        var h = try WebhookHarness(engine: engine)
        let kept = try Self.subscribe(&h, receiver, "kept")
        let dropped = try Self.subscribe(&h, receiver, "dropped")
        let event = h.delivery("order.status_changed", try exampleEvent("order.status_changed", store: "s1"), messageID: "evt-5")
        struct LostCommit: Error {}
        #expect(throws: LostCommit.self) {
            try h.storage.write { db in
                _ = try h.processor.process([event], in: db)
                throw LostCommit()
            }
        }
        _ = try h.storage.write { db in try h.processor.process([event], in: db) }
        #expect(try h.count("SELECT COUNT(*) FROM effect") == 2)
        // Removed before the runner's turn (no settle in between).
        try h.send("notification.webhook.remove", try JSONCoding.encoder.encode(
            NotificationWebhookRemove(storeID: "s1", webhookID: dropped.webhook.webhookID)))
        try h.settle()
        let received = try receiver.received()
        #expect(received.map(\.endpoint) == ["kept"], "one POST for a batch run twice, none to the removed endpoint")
        #expect(try Self.delivery(h, kept.webhook.webhookID).state == "delivered")
        let removed = try Self.delivery(h, dropped.webhook.webhookID)
        #expect(removed.state == "failed" && removed.reason == "the webhook was removed")
    }

    @Test func eventsOfOtherTypesOrWithoutAnEndpointPostNothing() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        var h = try WebhookHarness()
        _ = try Self.subscribe(&h, receiver, "erp", types: ["billing.invoice.issued"])
        try h.send("order.status_changed", try exampleEvent("order.status_changed", store: "s1"))
        try h.send("client.created", try exampleEvent("client.created", store: "s1"))
        try h.settle()
        #expect(try h.count("SELECT COUNT(*) FROM notification_webhook_delivery") == 0)
        #expect(try receiver.received().isEmpty)
    }
}
