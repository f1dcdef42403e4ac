import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// reliability-service's copy of the store registry, kept from `store.updated`, and the store's
/// default country used when an operator checks a phone written in national form.
@Suite struct StoreCopyTests {
    static func store(_ id: String = "s1", country: String, version: Int) -> StoreCard {
        StoreCard(storeID: id, name: "Shop \(id)", defaultCountry: country, currency: country == "DE" ? "EUR" : "RUB",
                  timeZone: country == "DE" ? "Europe/Berlin" : "Europe/Moscow", locale: "en", accountID: id,
                  registered: true, version: version, updatedAt: Date(timeIntervalSince1970: 1_714_558_530 + Double(version)))
    }

    func copy(_ h: ReliabilityHarness) throws -> (country: String, version: Int)? {
        try h.storage.read { db in
            try db.row("SELECT default_country, version FROM rel_store WHERE store_id = 's1'")
                .map { ($0["default_country"], $0["version"]) }
        }
    }

    @Test(arguments: TestEngine.all) func theNewestVersionWinsWhateverTheOrder(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("store.updated", Self.store(country: "DE", version: 2), replyTo: nil)
        #expect(try copy(h)! == ("DE", 2))
        try h.send("store.updated", Self.store(country: "RU", version: 1), replyTo: nil)
        #expect(try copy(h)! == ("DE", 2), "a late older version does not roll the store back")
        try h.send("store.updated", Self.store(country: "KZ", version: 3), replyTo: nil)
        #expect(try copy(h)! == ("KZ", 3))
    }

    @Test(arguments: TestEngine.all) func onlyClientServiceAnnouncesStores(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(Self.store(country: "DE", version: 1)), messageID: "forged",
                                  type: "store.updated", userID: "shop-s1")
        _ = try h.storage.write { db in
            try h.processor.process([Delivery(message: message, deliveryTag: 99, redelivered: false,
                                              exchange: Exchanges.events, routingKey: "store.updated")], in: db)
        }
        #expect(try copy(h) == nil)
    }

    @Test(arguments: TestEngine.all) func aCheckReadsThePhoneWithTheStoresCountry(engine: TestEngine) throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"status": "trusted"}"#) }
        defer { server.stop() }
        var h = try ReliabilityHarness(engine: engine)
        try h.activate(server)
        _ = try h.result("reliability.check", ReliabilityCheck(storeID: "s1", phone: "8 (912) 345-67-89"), as: ReliabilityCheckResult.self)
        try h.send("store.updated", Self.store(country: "DE", version: 1), replyTo: nil)
        _ = try h.result("reliability.check", ReliabilityCheck(storeID: "s1", phone: "030 12345678"), as: ReliabilityCheckResult.self)
        let phones = try server.requests.map { try JSONValue.parse($0.body)["phone"] }
        #expect(phones == [.string("+79123456789"), .string("+493012345678")], "before and after the store said DE")
    }
}
