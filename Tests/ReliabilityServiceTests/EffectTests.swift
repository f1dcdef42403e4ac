import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing
@testable import WorkerKit

/// The provider is called from the effect runner, after the commit, never from a handler: counted
/// at a real HTTP server on 127.0.0.1.
@Suite struct EffectTests {
    static func delivery(_ type: String, _ body: some Encodable, id: String) throws -> Delivery {
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: id, type: type, replyTo: "replies",
                                  userID: DevelopmentUsers.sender(of: type))
        return Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.commands, routingKey: type)
    }

    @Test(arguments: TestEngine.all) func aBatchRolledBackAndRunAgainCallsOnce(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "trusted"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        let check = try Self.delivery("reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789"), id: "check-1")
        // Its handler throws: the batch is rolled back and run again message by message.
        let failing = try Self.delivery("reliability.check", ReliabilityCheck(storeID: "s1", clientID: "nobody"), id: "check-2")
        // And the first transaction fails as a whole after the handlers ran (a lost commit):
        // the broker would deliver the batch again.
        struct LostCommit: Error {}
        #expect(throws: LostCommit.self) {
            try h.storage.write { db in
                _ = try h.processor.process([check, failing], in: db)
                throw LostCommit()
            }
        }
        let outcomes = try h.storage.write { db in try h.processor.process([check, failing], in: db) }
        #expect(outcomes.count == 2 && outcomes[1] == .rejected(type: "reliability.check", code: .notFound))
        #expect(server.requestCount == 0, "nothing is called inside the transaction")
        let recorded = try h.count("SELECT COUNT(*) FROM effect")
        #expect(recorded == 1)
        try h.settle()
        #expect(server.requestCount == 1, "one call for a batch run three times")
        let reply = try #require(try h.outbox(routingKey: "replies").first { $0.messageID == "reply-check-1" })
        let answer = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
        #expect(answer.ok && answer.result?["status"] == .string("trusted"))
    }

    @Test(arguments: TestEngine.all) func theCircuitIsKeyedByHostNotByURL(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .status(503) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine, effects: EffectSettings(breakerThreshold: 2, breakerCoolDown: .seconds(30)))
        func settings(_ store: String, _ url: String) throws {
            let reply = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
                storeID: store, activate: true, partnerCode: "P", signature: "S", baseURL: url, timeoutMs: 500))
            #expect(reply.ok, "\(String(describing: reply.error))")
        }
        try settings("s1", "http://127.0.0.1:\(server.port)/a")
        try settings("s2", "http://127.0.0.1:\(server.port)/b")
        try settings("s3", "http://localhost:\(server.port)/a")
        for _ in 0..<2 { _ = try h.ask("reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789")) }
        #expect(server.requestCount == 2)
        let otherPath = try h.ask("reliability.check", ReliabilityCheck(storeID: "s2", phone: "+79123456789"))
        #expect(otherPath.error?.code == .unavailable && otherPath.error?.message.contains("circuit open") == true)
        #expect(otherPath.error?.message.contains("127.0.0.1") == true)
        #expect(server.requestCount == 2, "another URL on the same host is paused too")
        let otherHost = try h.ask("reliability.check", ReliabilityCheck(storeID: "s3", phone: "+79123456789"))
        #expect(otherHost.error?.message.contains("circuit open") == false)
        #expect(server.requestCount == 3, "another host name has a circuit of its own")
    }

    @Test(arguments: TestEngine.all) func aHostThatResolvesToLoopbackIsRefusedWithoutTraffic(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "trusted"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine, outbound: .publicOnly)
        // https to a name: the form is fine; what it resolves to is checked when the call is made.
        let saved = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P", signature: "S", baseURL: "https://localhost:\(server.port)"))
        #expect(saved.ok)
        let check = try h.ask("reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789"))
        #expect(check.error?.code == .unavailable && check.error?.message == "the address is refused: loopback addresses are not allowed")
        let test = try h.result("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1"), as: ReliabilityConnectionResult.self)
        #expect(test.status == .noConnection && test.reason == "the address is refused: loopback addresses are not allowed")
        #expect(server.requestCount == 0)
    }

    @Test(arguments: TestEngine.all, ["https://10.20.30.40", "https://192.168.1.1:8443", "https://169.254.169.254", "https://127.0.0.1:1",
                      "http://127.0.0.1:1", "https://user:pw@api.provider.example"])
    func refusedAddressesAnswerAtOnceWithoutAnEffect(engine: TestEngine, url: String) throws {
        var h = try ReliabilityHarness(engine: engine, outbound: .publicOnly)
        let started = ContinuousClock.now
        let test = try h.result("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", partnerCode: "P", signature: "S", baseURL: url), as: ReliabilityConnectionResult.self)
        #expect(test.status == .noConnection && test.reason?.hasPrefix("the address is refused: ") == true, "\(url)")
        #expect(ContinuousClock.now - started < .milliseconds(500), "no connection attempt, no DNS")
        #expect(try h.count("SELECT COUNT(*) FROM effect") == 0)
        let saved = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P", signature: "S", baseURL: url))
        #expect(saved.error?.code == .validationFailed && saved.error?.details.first?.field == "base_url", "\(url)")
    }

    @Test(arguments: TestEngine.all) func connectionTestReasonsAreOurOwnShortTexts(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .closeWithoutAnswer }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        func test(_ url: String) throws -> String? {
            try h.result("reliability.connection.test", ReliabilityConnectionTest(
                storeID: "s1", partnerCode: "P", signature: "S", baseURL: url), as: ReliabilityConnectionResult.self).reason
        }
        #expect(try test(server.baseURL) == "the service gave no usable answer", "closed without a byte")
        #expect(try test("http://127.0.0.1:\(try StubHTTPServer.unusedPort())") == "cannot reach the service")
        server.setHandler { _ in .delay(.seconds(2), then: .status(200)) }
        _ = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", timeoutMs: 200))
        #expect(try test(server.baseURL) == "the service did not answer in time")
        server.setHandler { _ in .status(502) }
        #expect(try test(server.baseURL) == "the service answered HTTP 502")
    }

    @Test(arguments: TestEngine.all) func aSignatureGivenForATestIsSealedInTheEffectAndDroppedAfterwards(engine: TestEngine) throws {
        let server = try StubHTTPServer()
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.send("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", partnerCode: "P", signature: "test-only-sig", baseURL: server.baseURL), messageID: "t-1")
        let row = try #require(try h.storage.read { db in try db.row("SELECT payload, secret_sealed FROM effect") })
        let payload: Data = row["payload"]
        #expect(!String(decoding: payload, as: UTF8.self).contains("test-only-sig"))
        #expect((row["secret_sealed"] as String?)?.hasPrefix("v1:") == true)
        try h.settle()
        #expect(server.requests.first?.text.contains("test-only-sig") == true, "the provider gets it")
        let left = try h.count("SELECT COUNT(*) FROM effect WHERE secret_sealed IS NOT NULL")
        #expect(left == 0)
    }
}
