import Contracts
import CRMTestSupport
import Foundation
import NotificationService
import Testing
@testable import WorkerKit

/// The effect runner's slots per server: a partner answering in 5 s holds only its own
/// (`perHostConcurrency`), so another store's webhook goes out at once even when the slow
/// partner's calls outnumber all the runner's slots.
@Suite struct SlowPartnerTests {
    @Test func aSlowServerHoldsOnlyItsOwnSlots() throws {
        let slow = try StubHTTPServer { _ in .delay(.seconds(5), then: .status(200)) }
        let quick = try StubHTTPServer()
        defer { slow.stop(); quick.stop() }
        var h = try WebhookHarness(effects: EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100),
                                                           concurrency: 4, perHostConcurrency: 2))
        _ = try h.result("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s2", url: slow.baseURL + "/hook", eventTypes: ["order.status_changed"]), as: NotificationWebhookAdded.self)
        _ = try h.result("notification.webhook.add", NotificationWebhookAdd(
            storeID: "s1", url: quick.baseURL + "/hook", eventTypes: ["order.status_changed"]), as: NotificationWebhookAdded.self)
        for n in 1...6 { try h.send("order.status_changed", try exampleEvent("order.status_changed", store: "s2"), messageID: "slow-\(n)") }
        try h.send("order.status_changed", try exampleEvent("order.status_changed", store: "s1"), messageID: "quick-1")

        let runner = h.effects
        let thread = Thread { runner.run() }
        thread.start()
        defer {
            runner.stopRequested.set()
            runner.wakeup.signal()
        }
        let started = ContinuousClock.now
        while quick.requestCount == 0, ContinuousClock.now - started < .seconds(10) { Thread.sleep(forTimeInterval: 0.01) }
        let waited = ContinuousClock.now - started
        #expect(quick.requestCount == 1)
        // Without slots per server it would wait for the first slow calls to end (5 s).
        #expect(waited < .milliseconds(2_500), "store s1's webhook waited \(waited) behind six 5-second calls")
        #expect(slow.requestCount <= 2, "at most two calls at a time to the slow server, the rest wait their turn")
    }
}
