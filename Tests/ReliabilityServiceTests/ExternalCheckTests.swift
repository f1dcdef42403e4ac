import Contracts
import CRMTestSupport
import Foundation
import ReliabilityService
import Testing
@testable import WorkerKit

/// The external blacklist check against a small real HTTP server on 127.0.0.1 that speaks the
/// provider's (assumed) API.
@Suite struct ExternalCheckTests {
    static func check(_ phone: String = "8 (912) 345-67-89", force: Bool? = nil) -> ReliabilityCheck {
        ReliabilityCheck(storeID: "s1", phone: phone, force: force)
    }

    @Test(arguments: TestEngine.all, ExternalStatus.allCases)
    func eachAnswerOfTheServiceIsStoredAndAnnounced(engine: TestEngine, status: ExternalStatus) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "\#(status.rawValue)"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        let result = try h.result("reliability.check", Self.check(), as: ReliabilityCheckResult.self)
        #expect(result.status == status && !result.cached)

        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/v11/recipient")
        let sent = try JSONValue.parse(request.body)
        #expect(sent == .object(["partner_code": .string("P-1"), "signature": .string("s3cret"), "phone": .string("+79123456789")]))
        let event = try #require(try h.outbox(routingKey: "reliability.checked").first)
        let checked = try JSONCoding.decoder.decode(ReliabilityChecked.self, from: event.body)
        #expect(checked.status == status && checked.phone == "+79123456789" && checked.trigger == .operator_)
    }

    @Test(arguments: TestEngine.all) func aStoredResultIsReusedUntilForcedOrOld(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "trusted"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        _ = try h.result("reliability.check", Self.check(), as: ReliabilityCheckResult.self)
        let again = try h.result("reliability.check", Self.check("+7 912 345 67 89"), as: ReliabilityCheckResult.self)
        #expect(again.cached && server.requestCount == 1, "the same phone in another form is the same buyer")
        let forced = try h.result("reliability.check", Self.check(force: true), as: ReliabilityCheckResult.self)
        #expect(!forced.cached && server.requestCount == 2)
    }

    @Test(arguments: TestEngine.all) func aCheckNeedsTheServiceActivatedAndAPhone(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        #expect(try h.ask("reliability.check", Self.check()).error?.code == .unavailable)
        let server = try StubHTTPServer()
        defer { server.stop() }
        try h.activate(server)
        let bad = try h.ask("reliability.check", Self.check("not a phone"))
        #expect(bad.error?.code == .validationFailed && bad.error?.details.first?.field == "phone")
        #expect(try h.ask("reliability.check", ReliabilityCheck(storeID: "s1", clientID: "unknown")).error?.code == .notFound)
    }

    @Test(arguments: TestEngine.all) func wrongCredentialsAreUnauthorizedNotAFault(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .status(403) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        #expect(try h.ask("reliability.check", Self.check()).error?.code == .unauthorized)
    }

    static let faults: [(String, StubResponse)] = [
        ("server error", .status(500)), ("slow", .delay(.seconds(2), then: .json(200, #"{"status": "trusted"}"#))),
        ("not JSON", .status(200, body: "<html>maintenance</html>")), ("unknown status", .json(200, #"{"status": "maybe"}"#)),
        ("closed", .closeWithoutAnswer),
    ]

    @Test(arguments: TestEngine.all, 0..<faults.count)
    func faultsAnswerUnavailableOrAreRetriedWhenQueued(engine: TestEngine, index: Int) throws {
        let (name, response) = Self.faults[index]
        let server = try StubHTTPServer { _ in response }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server, timeoutMs: 300)
        let started = ContinuousClock.now
        let reply = try h.ask("reliability.check", Self.check())
        #expect(reply.error?.code == .unavailable, "\(name)")
        #expect(ContinuousClock.now - started < .seconds(1.5), "\(name): bounded by the timeout")
        // Without reply_to the check was queued (an auto check): the effect runner tries it again
        // with backoff, up to its attempts, and nothing is stored.
        let calls = server.requestCount
        guard case .handled = try h.send("reliability.check", Self.check(), replyTo: nil) else {
            Issue.record("\(name): the queued check was not handled"); return
        }
        #expect(server.requestCount == calls, "\(name): no call inside the handler")
        try h.settle()
        #expect(server.requestCount == calls + 4, "\(name): four attempts")
        let stored = try h.count("SELECT COUNT(*) FROM rel_check")
        #expect(stored == 0, "\(name)")
    }

    @Test(arguments: TestEngine.all) func aRefusedConnectionIsAFault(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        let port = try StubHTTPServer.unusedPort()
        let reply = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P", signature: "S", baseURL: "http://127.0.0.1:\(port)"))
        #expect(reply.ok)
        let answer = try h.ask("reliability.check", Self.check())
        #expect(answer.error?.code == .unavailable)
        #expect(answer.error?.message.contains("cannot reach") == true, "\(String(describing: answer.error))")
    }

    @Test(arguments: TestEngine.all) func theCircuitOpensAfterRepeatedFaultsAndClosesAfterASuccess(engine: TestEngine) async throws {
        let server = try StubHTTPServer { _ in .status(503) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine, effects: EffectSettings(breakerThreshold: 3, breakerCoolDown: .milliseconds(500)))
        try h.activate(server)
        for _ in 0..<3 { _ = try h.ask("reliability.check", Self.check(force: true)) }
        #expect(server.requestCount == 3)
        let paused = try h.ask("reliability.check", Self.check(force: true))
        #expect(paused.error?.code == .unavailable && paused.error?.message.contains("circuit open") == true)
        #expect(server.requestCount == 3, "an open circuit does not call the service")

        server.setHandler { _ in .json(200, #"{"status": "neutral"}"#) }
        try await Task.sleep(for: .milliseconds(600))
        let trial = try h.result("reliability.check", Self.check(force: true), as: ReliabilityCheckResult.self)
        #expect(trial.status == .neutral && server.requestCount == 4)
        _ = try h.result("reliability.check", Self.check(force: true), as: ReliabilityCheckResult.self)
        #expect(server.requestCount == 5, "closed again")
    }

    @Test(arguments: TestEngine.all) func theConnectionTestSaysWhyAndIsStored(engine: TestEngine) throws {
        let server = try StubHTTPServer { request in request.path == "/v11/ping" ? .status(200) : .status(404) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        let missing = try h.ask("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1"))
        #expect(missing.error?.details.map(\.field) == ["partner_code", "signature", "base_url"])

        let ok = try h.result("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", partnerCode: "P", signature: "S", baseURL: server.baseURL), as: ReliabilityConnectionResult.self)
        #expect(ok.status == .connected && ok.reason == nil)

        server.setHandler { _ in .status(401) }
        let refused = try h.result("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", partnerCode: "P", signature: "wrong", baseURL: server.baseURL), as: ReliabilityConnectionResult.self)
        #expect(refused.status == .noConnection && refused.reason?.contains("401") == true)
        let stored = try h.value("SELECT last_connection_status FROM rel_settings WHERE store_id = 's1'", as: String.self)
        #expect(stored == "no_connection")
    }

    @Test(arguments: TestEngine.all) func cashOnDeliveryOrdersAreCheckedByThemselvesWhenAsked(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "no_trust"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server, autoCheckCOD: true)
        var order = attributed("o1", client: "c1")
        order.phone = "+79123456789"
        try h.send("order.attributed", order)
        var card = attributed("o2", client: "c2", method: .card)
        card.phone = "+79120000000"
        try h.send("order.attributed", card)
        let queued = try h.outbox(routingKey: "reliability.check")
        #expect(queued.count == 1, "only the cash-on-delivery order")
        let command = try JSONCoding.decoder.decode(ReliabilityCheck.self, from: try #require(queued.first).body)
        #expect(command.clientID == "c1" && command.trigger == .autoCOD)

        // The queued command, handled as the broker would hand it back: checked and shown on the rating.
        let outcome = try h.send("reliability.check", command, replyTo: nil)
        guard case .handled = outcome else { Issue.record("the queued check was not handled: \(outcome)"); return }
        try h.settle()
        let rating = try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1"))
        #expect(rating.external?.status == .noTrust)
    }
}
