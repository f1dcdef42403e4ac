import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
import Testing
@testable import WorkerKit

/// `client.export`: every card of a store, deleted and merged ones too, in cursor pages.
@Suite struct ClientExportTests {
    static func person(_ name: String, phone: String) -> ClientCreate {
        var fields = ClientFields()
        (fields.firstName, fields.phone) = (name, phone)
        return ClientCreate(storeID: "s1", fields: fields)
    }

    /// One page, and how long client-service took to process the request (read, answer, outbox).
    /// The reply is read from the outbox by the parsed value: Foundation's decoder of `Reply`
    /// takes seven times longer than the service on a page of 500 cards.
    static func page(_ h: inout ProcessorHarness, _ query: ClientExport, as user: String = DevelopmentUsers.operatorName)
        throws -> (result: ClientExportResult, processing: Duration) {
        let id = "q-\(UUID().uuidString)"
        let start = ContinuousClock.now
        _ = try h.process(AMQPMessage(body: try JSONCoding.encoder.encode(query), messageID: id, type: "client.export",
                                      replyTo: "replies", appID: "crmctl", userID: user))
        let processing = ContinuousClock.now - start
        guard let body = try h.storage.read({ db in try OutboxMessage.withMessageID(db, "reply-\(id)") }).first?.body else {
            throw HarnessError.noReply("client.export")
        }
        let reply = try JSONValue.parse(body)
        guard reply["ok"] == .bool(true), let result = reply["result"] else {
            throw HarnessError.failed(try reply["error"].map { try JSONValueDecoder().decode(ErrorBody.self, from: $0) })
        }
        return (try JSONValueDecoder().decode(ClientExportResult.self, from: result), processing)
    }

    static func export(_ h: inout ProcessorHarness, _ query: ClientExport, as user: String = DevelopmentUsers.operatorName) throws -> ClientExportResult {
        try page(&h, query, as: user).result
    }

    /// Every page until `next_cursor` is null.
    static func all(_ h: inout ProcessorHarness, store: String = "s1", limit: Int?, as user: String = DevelopmentUsers.operatorName)
        throws -> (cards: [ClientCard], pages: Int, processing: Duration) {
        var cards: [ClientCard] = []
        var cursor: String?
        var pages = 0
        var processing = Duration.zero
        repeat {
            let (page, took) = try page(&h, ClientExport(storeID: store, after: cursor, limit: limit), as: user)
            cards += page.clients
            cursor = page.nextCursor
            pages += 1
            processing += took
        } while cursor != nil
        return (cards, pages, processing)
    }

    @Test(arguments: TestEngine.all) func pagesCoverEveryCardOnceDeletedAndMergedIncluded(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        var ids: [String] = []
        for i in 1...5 { ids.append(try h.card("client.create", Self.person("Клиент \(i)", phone: "+7912000000\(i)")).clientID) }
        var other = Self.person("Чужой", phone: "+79120000001")
        other.storeID = "s2"
        _ = try h.card("client.create", other)
        _ = try h.card("client.delete", ClientRef(storeID: "s1", clientID: ids[1]))
        _ = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: ids[2], mergedIDs: [ids[3]]))
        _ = try h.card("client.note.add", ClientNoteAdd(storeID: "s1", clientID: ids[0], text: "not in the export"))

        let (cards, pages, _) = try Self.all(&h, limit: 2)
        #expect(pages == 3, "5 cards, 2 a page")
        let inOrder = try h.storage.read { db in
            try db.column("SELECT id FROM client WHERE store_id = 's1' ORDER BY id", as: String.self)
        }
        #expect(cards.map(\.clientID) == inOrder, "each card once, in id order")
        #expect(Set(cards.map(\.clientID)) == Set(ids) && cards.allSatisfy { $0.storeID == "s1" })
        #expect(cards.first { $0.clientID == ids[1] }?.deleted == true)
        #expect(cards.first { $0.clientID == ids[3] }?.mergedInto == ids[2])
        #expect(cards.first { $0.clientID == ids[2] }?.fields.extraPhones == ["+79120000004"], "the survivor as merged")
        #expect(cards.allSatisfy { $0.orders == nil && $0.notes == nil })
        // A page of exactly what is left ends the export.
        let last = try Self.export(&h, ClientExport(storeID: "s1", after: inOrder[2], limit: 2))
        let (whole, s2, s9) = (try Self.export(&h, ClientExport(storeID: "s1")), try Self.export(&h, ClientExport(storeID: "s2")),
                               try Self.export(&h, ClientExport(storeID: "s9"), as: DevelopmentUsers.adminName))
        #expect(last.clients.map(\.clientID) == Array(inOrder[3...]) && last.nextCursor == nil)
        #expect(whole.clients.count == 5 && whole.nextCursor == nil, "500 a page by default")
        #expect(s2.clients.count == 1, "each store its own cards")
        #expect(s9.clients == [] && s9.nextCursor == nil, "a store without clients")
    }

    @Test(arguments: TestEngine.all) func operatorsAdminsAndServicesMayExportShopsMayNot(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        _ = try h.card("client.create", Self.person("Анна", phone: "+79120000001"))
        let (service, admin) = (try Self.export(&h, ClientExport(storeID: "s1"), as: "dedupe-service"),
                                try Self.export(&h, ClientExport(storeID: "s1"), as: DevelopmentUsers.adminName))
        #expect(service.clients.count == 1 && admin.clients.count == 1)
        let shop = try h.ask("client.export", ClientExport(storeID: "s1"), as: "shop-s1")
        #expect(shop.error?.code == .unauthorized)
        let otherStore = try h.ask("client.export", ClientExport(storeID: "s3"))
        #expect(otherStore.error?.code == .unauthorized && otherStore.error?.details.first?.field == "store_id")
        let tooMany = try h.ask("client.export", ClientExport(storeID: "s1", limit: 1001))
        #expect(tooMany.error?.code == .validationFailed && tooMany.error?.details.first?.field == "limit")
    }

    /// Pages per second over many cards (`CRM_EXPORT_CARDS`, 3,000 unless set; the README's
    /// figure is for 100,000), each page a full request: processed, answered through the outbox.
    @Test(arguments: TestEngine.all) func exportSpeed(engine: TestEngine) throws {
        let count = ProcessInfo.processInfo.environment["CRM_EXPORT_CARDS"].flatMap { Int($0) } ?? 3_000
        var h = try ProcessorHarness(engine: engine)
        let fields = #"{"kind":"person","last_name":"Иванова","newsletter":true,"source":"web","characteristic":"normal","origin_store":"s1","registered_by":"operator-demo","groups":["vip"],"extra_phones":["+79990000000"]}"#
        let now = Date()
        try h.storage.write { db in
            let series = db.engine == .postgres
                ? "SELECT i, lpad(CAST(i AS TEXT), 7, '0') AS n FROM generate_series(1, CAST(? AS INTEGER)) AS i"
                : "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT i, printf('%07d', i) AS n FROM s"
            _ = try db.execute("""
                INSERT INTO client (id, store_id, first_name, phone, email, source, version, deleted, merged_into, created_at, updated_at, fields)
                SELECT 'c-' || n, 's1', 'Клиент ' || n, '+7912' || n, 'u' || n || '@example.ru', 'web', 1, i % 50 = 0,
                       CASE WHEN i % 70 = 0 THEN 'c-0000001' END, ?, ?, ? FROM (\(series)) AS g
                """, [now, now, fields, count])
        }
        if engine == .sqlite {
            // One range of (store_id, id), already in order: no sort, however deep the page.
            let plan = try h.storage.read { db in
                try db.rows("EXPLAIN QUERY PLAN SELECT * FROM client WHERE store_id = ? AND id > ? ORDER BY id LIMIT ?", ["s1", "c-0001000", 501])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("client_store_id (store_id=? AND id>?)") && !plan.contains("TEMP B-TREE"), "\(plan)")
        }
        let start = ContinuousClock.now
        let result = try Self.all(&h, limit: 500)
        let elapsed = ContinuousClock.now - start
        #expect(result.cards.count == count && Set(result.cards.map(\.clientID)).count == count)
        #expect(result.cards.filter(\.deleted).count == count / 50 && result.cards.filter { $0.mergedInto != nil }.count == count / 70)
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        print("client.export on \(engine): \(count) cards, \(result.pages) pages of 500;",
              String(format: "client-service processing %.2f s (%.1f pages/s, %.0f cards/s); with the test reading the replies %.2f s",
                     seconds(result.processing), Double(result.pages) / seconds(result.processing),
                     Double(count) / seconds(result.processing), seconds(elapsed)))
    }
}
