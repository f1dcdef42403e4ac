import Contracts
import CRMTestSupport
import Foundation
import GRDB
import ReliabilityService
import Testing
@testable import WorkerKit

/// The provider signature is a secret: it goes to the stored address only, and is absent from
/// the database file, every reply and every outbox row (dead letters included).
@Suite struct SignatureSecrecyTests {
    static let signature = "sig-7f3a9c1e-never-shown"

    @Test(arguments: TestEngine.all) func changingTheAddressNeedsTheSignatureAgain(engine: TestEngine) throws {
        let server = try StubHTTPServer()
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        let moved = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", baseURL: "https://elsewhere.example"))
        #expect(moved.error?.code == .validationFailed)
        #expect(moved.error?.details == [ErrorDetail(field: "signature", problem: "required_with_base_url")])
        let kept = try h.result("reliability.settings.get", ReliabilitySettingsGet(storeID: "s1"), as: ReliabilitySettingsView.self)
        #expect(kept.baseURL == server.baseURL)

        // The same address again is no change; a new one with its signature is accepted.
        #expect(try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", baseURL: server.baseURL)).ok)
        let withSignature = try h.result("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", signature: "new", baseURL: "https://elsewhere.example"), as: ReliabilitySettingsView.self)
        #expect(withSignature.baseURL == "https://elsewhere.example" && withSignature.signatureSet)
    }

    @Test(arguments: TestEngine.all) func aConnectionTestToAnotherAddressWithoutTheSignatureSendsNothing(engine: TestEngine) throws {
        let stored = try StubHTTPServer()
        let other = try StubHTTPServer()
        defer { stored.stop(); other.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(stored)
        let reply = try h.ask("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1", baseURL: other.baseURL))
        #expect(reply.error?.code == .validationFailed && reply.error?.details.first?.field == "signature")
        #expect(other.requestCount == 0 && stored.requestCount == 0, "no request anywhere")

        // With a signature of its own it is tried, and that one is sent, not the stored one.
        let tried = try h.result("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", signature: "other-sig", baseURL: other.baseURL), as: ReliabilityConnectionResult.self)
        #expect(tried.status == .connected)
        #expect(other.requests.first?.text.contains("other-sig") == true && other.requests.first?.text.contains("s3cret") == false)
        // The stored address still gets the stored signature.
        _ = try h.result("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1"), as: ReliabilityConnectionResult.self)
        #expect(stored.requests.first?.text.contains("s3cret") == true)
    }

    @Test(arguments: TestEngine.all) func theSignatureIsNowhereButTheProvidersRequests(engine: TestEngine) throws {
        let server = try StubHTTPServer { request in
            request.path == "/v11/ping" ? .status(200) : .json(200, #"{"status": "trusted"}"#)
        }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        var replies: [Reply] = []
        replies.append(try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P-1", signature: Self.signature, baseURL: server.baseURL)))
        replies.append(try h.ask("reliability.settings.get", ReliabilitySettingsGet(storeID: "s1")))
        replies.append(try h.ask("reliability.connection.test", ReliabilityConnectionTest(storeID: "s1")))
        replies.append(try h.ask("reliability.check", ReliabilityCheck(storeID: "s1", phone: "+79123456789")))
        let answered = replies.allSatisfy { $0.ok }
        #expect(answered, "\(replies.map(\.error))")
        // Two refused: a value refused by the handler, and a schema violation, both carrying the signature.
        replies.append(try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s2", activate: true, signature: Self.signature)))
        replies.append(try h.ask("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", signature: Self.signature, baseURL: "not a url")))
        // The same two without a reply to send (a request is only answered): dead-lettered.
        try h.send("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s2", activate: true, signature: Self.signature), replyTo: nil)
        try h.send("reliability.connection.test", ReliabilityConnectionTest(
            storeID: "s1", signature: Self.signature, baseURL: "not a url"), replyTo: nil)
        #expect(server.requests.allSatisfy { $0.text.contains(Self.signature) }, "the provider does get it")

        let outbox = try h.storage.read { db in try OutboxMessage.all(db) }
        let dead = outbox.filter { $0.routingKey == "reliability-service.dead" }
        #expect(dead.count == 2)
        #expect(dead.allSatisfy { $0.body.count > 0 }, "the rest of the message is kept for the operator")
        for row in outbox {
            #expect(!Self.contains(row.body, Self.signature), "outbox row to \(row.routingKey)")
        }
        for reply in replies {
            #expect(!Self.contains(try JSONCoding.encoder.encode(reply), Self.signature))
        }
        let plain = try h.count("SELECT COUNT(*) FROM rel_settings WHERE signature IS NOT NULL")
        let sealed = try h.value("SELECT signature_sealed FROM rel_settings WHERE store_id = 's1'", as: String.self)
        #expect(plain == 0)
        #expect(sealed?.hasPrefix("v1:") == true)

        // The file's bytes, free pages and WAL included (PostgreSQL's files are the server's own).
        guard let pool = h.storage.sqlitePool else { return }
        _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        for suffix in ["", "-wal"] {
            let file = pool.path + suffix
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(!Self.contains(bytes, Self.signature), "\(file)")
            #expect(!Self.contains(bytes, "s3cret"))
        }
    }

    @Test(arguments: TestEngine.all) func aSealedSignatureOpensOnlyWithItsKeyInItsOwnRow(engine: TestEngine) throws {
        let key = SecretBox.random()
        var h = try ReliabilityHarness(engine: engine, secrets: key)
        let server = try StubHTTPServer()
        defer { server.stop() }
        try h.activate(server)
        let sealed = try #require(try h.value("SELECT signature_sealed FROM rel_settings WHERE store_id = 's1'", as: String.self))
        #expect(try key.open(sealed, context: "rel_settings/s1/signature") == "s3cret")
        #expect(throws: SecretBoxError.self) { try SecretBox.random().open(sealed, context: "rel_settings/s1/signature") }
        #expect(throws: SecretBoxError.self, "bound to its store") { try key.open(sealed, context: "rel_settings/s2/signature") }
    }

    /// SQLite alone: PostgreSQL's tables never held a signature in plain text.
    @Test func theMigrationSealsPlainTextSignaturesAndEmptiesTheColumn() throws {
        let key = SecretBox.random()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crm-rel-legacy-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        ReliabilityServiceDefinition(secrets: key, outbound: .development).registerMigrations(&migrator)
        try migrator.migrate(queue, upTo: "reliability-1-orders-settings")
        try queue.write { db in
            for store in ["s1", "s2"] {
                try db.execute(sql: "INSERT INTO rel_settings (store_id, signature, base_url, updated_at) VALUES (?, ?, 'https://p.example', '2024-05-01T00:00:00Z')",
                               arguments: [store, "legacy-\(store)-signature"])
            }
        }
        try migrator.migrate(queue)
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM rel_settings ORDER BY store_id") }
        #expect(rows.count == 2)
        for row in rows {
            let store: String = row["store_id"]
            let plain: String? = row["signature"]
            let sealed: String = row["signature_sealed"]
            #expect(plain == nil)
            #expect(try key.open(sealed, context: "rel_settings/\(store)/signature") == "legacy-\(store)-signature")
        }
        try queue.close()
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(!Self.contains(bytes, "legacy-s1-signature"), "secure_delete zeroed the old values")
    }

    static func contains(_ data: Data, _ text: String) -> Bool { data.range(of: Data(text.utf8)) != nil }
}
