import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// client-service's store registry (store.upsert, store.get, store.list) over a real SQLite file,
/// and the store's default country used wherever client-service reads a phone.
@Suite struct StoreRegistryTests {
    static let admin = DevelopmentUsers.adminName
    static let operatorUser = DevelopmentUsers.operatorName

    static let berlin = StoreUpsert(storeID: "s1", name: "Berlin", defaultCountry: "DE", currency: "EUR",
                                    timeZone: "Europe/Berlin", locale: "en")

    @Test(arguments: TestEngine.all) func anAdministratorRegistersAStoreAndItIsAnnounced(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let store = try h.store("store.upsert", Self.berlin, as: Self.admin)
        #expect(store.registered && store.version == 1 && store.accountID == "s1", "the account is the store itself by default")
        #expect(store.defaultCountry == "DE" && store.currency == "EUR" && store.timeZone == "Europe/Berlin" && store.locale == "en")
        let events = try h.outbox().filter { $0.routingKey == "store.updated" }
        #expect(events.count == 1)
        #expect(try JSONCoding.decoder.decode(StoreCard.self, from: #require(events.first).body) == store)

        let again = try h.store("store.upsert", Self.berlin, as: Self.admin)
        #expect(again == store, "the same settings again change nothing")
        #expect(try h.outbox().filter { $0.routingKey == "store.updated" }.count == 1, "and announce nothing")

        let renamed = try h.store("store.upsert", StoreUpsert(storeID: "s1", name: "Berlin Mitte", accountID: "acme"), as: Self.admin)
        #expect(renamed.version == 2 && renamed.name == "Berlin Mitte" && renamed.accountID == "acme")
        #expect(renamed.defaultCountry == "DE" && renamed.currency == "EUR", "fields left out keep their value")
        #expect(try h.outbox().filter { $0.routingKey == "store.updated" }.count == 2)
        #expect(try h.store("store.get", StoreGet(storeID: "s1"), as: Self.operatorUser) == renamed)
    }

    @Test(arguments: TestEngine.all) func onlyAnAdministratorRegistersStores(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let own = try h.ask("store.upsert", Self.berlin, as: Self.operatorUser)
        #expect(own.error?.code == .unauthorized, "an operator's own store: refused by the handler")
        let other = try h.ask("store.upsert", StoreUpsert(storeID: "s3", name: "Elsewhere"), as: Self.operatorUser)
        #expect(other.error?.code == .unauthorized, "another store: refused by the access layer")
        #expect(try h.count("SELECT COUNT(*) FROM store") == 0)
        #expect(try h.outbox().allSatisfy { $0.routingKey != "store.updated" })
    }

    @Test(arguments: TestEngine.all) func aStoreNotRegisteredReadsAsTheDefaults(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let store = try h.store("store.get", StoreGet(storeID: "s2"), as: Self.operatorUser)
        #expect(store == StoreCard.defaults(storeID: "s2"))
        #expect(!store.registered && store.defaultCountry == "RU" && store.currency == "RUB")
        #expect(store.timeZone == "Europe/Moscow" && store.locale == "ru" && store.accountID == "s2" && store.updatedAt == nil)
        #expect(try h.ask("store.get", StoreGet(storeID: "s3"), as: Self.operatorUser).error?.code == .unauthorized)
    }

    @Test(arguments: TestEngine.all) func theListHoldsTheSendersStores(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        for (id, account) in [("s1", "acme"), ("s3", "acme"), ("s4", "other")] {
            _ = try h.store("store.upsert", StoreUpsert(storeID: id, name: "Shop \(id)", accountID: account), as: Self.admin)
        }
        let all = try h.stores(StoreList(), as: Self.admin)
        #expect(all.map(\.storeID) == ["s1", "s3", "s4"] && all.allSatisfy(\.registered))
        let mine = try h.stores(StoreList(), as: Self.operatorUser)
        #expect(mine.map(\.storeID) == ["s1", "s2"], "the operator's stores only, registered or not")
        #expect(mine.map(\.registered) == [true, false])
        #expect(try h.stores(StoreList(accountID: "acme"), as: Self.admin).map(\.storeID) == ["s1", "s3"])
        #expect(try h.stores(StoreList(accountID: "acme"), as: Self.operatorUser).map(\.storeID) == ["s1"])
    }

    @Test(arguments: TestEngine.all) func unknownCodesAreRefusedNamingTheField(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let unknown = try h.ask("store.upsert", StoreUpsert(storeID: "s1", defaultCountry: "XX", currency: "XYZ", timeZone: "Mars/Base"),
                                as: Self.admin)
        #expect(unknown.error?.code == .validationFailed)
        #expect(Set(unknown.error?.details.map(\.field) ?? []) == ["default_country", "currency", "time_zone"])
        let locale = try h.ask("store.upsert", StoreUpsert(storeID: "s1", locale: "de"), as: Self.admin)
        #expect(locale.error?.code == .validationFailed && locale.error?.details.map(\.field) == ["locale"])
        let lower = try h.ask("store.upsert", StoreUpsert(storeID: "s1", defaultCountry: "de"), as: Self.admin)
        #expect(lower.error?.code == .validationFailed && lower.error?.details.map(\.field) == ["default_country"])
        #expect(try h.count("SELECT COUNT(*) FROM store") == 0)
    }

    @Test(arguments: TestEngine.all) func aNewCardRemembersItsStoreAndWhoRegisteredIt(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", ClientCardTests.anna())
        #expect(card.fields.originStore == "s1" && card.fields.registeredBy == Self.operatorUser)
        var imported = ClientCardTests.anna("+79990000000", email: "imported@example.ru")
        (imported.fields.originStore, imported.fields.registeredBy) = ("old-shop", "import-7")
        let kept = try h.card("client.create", imported)
        #expect(kept.fields.originStore == "old-shop" && kept.fields.registeredBy == "import-7", "given values stay")
    }

    /// A number that reads the same with the hand-written plans and with libphonenumber.
    @Test(arguments: TestEngine.all) func phonesAreReadWithTheStoresCountry(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        _ = try h.store("store.upsert", Self.berlin, as: Self.admin)
        let german = try h.card("client.create", ClientCardTests.anna("030 12345678", email: nil))
        #expect(german.fields.phone == "+493012345678")
        let russian = try h.card("client.create", ClientCreate(storeID: "s2", fields: ClientCardTests.anna("8 (912) 345-67-89", email: nil).fields))
        #expect(russian.fields.phone == "+79123456789", "an unregistered store reads phones as Russian")

        var change = ClientFields()
        change.landlinePhone = "030 87654321"
        let updated = try h.card("client.update", ClientUpdate(storeID: "s1", clientID: german.clientID, version: 1, changes: change))
        #expect(updated.fields.landlinePhone == "+493087654321")

        let found = try h.ask("client.search", ClientSearch(storeID: "s1", phone: "030 12345678"))
        let items = try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(found.result)).items
        #expect(items.map(\.clientID) == [german.clientID])
        let byText = try h.ask("client.search", ClientSearch(storeID: "s1", query: "030 12345678"))
        #expect(try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(byText.result)).items
            .map(\.clientID) == [german.clientID])

        _ = try h.process(orderPlacedMessage(store: "s1", order: "de-1", phone: "030 12345678"))
        let attributed = try #require(try h.outbox().last { $0.routingKey == "order.attributed" })
        let order = try JSONCoding.decoder.decode(OrderAttributed.self, from: attributed.body)
        #expect(order.clientID == german.clientID && order.matchedBy == .phone && order.phone == "+493012345678")
    }

    /// The example. Holds once PhoneNumber reads numbers through libphonenumber: the
    /// hand-written plan wants ten national digits for Germany, and Berlin's may be nine.
    @Test(arguments: TestEngine.all) func aBerlinNumberOfNineDigitsIsGerman(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        _ = try h.store("store.upsert", Self.berlin, as: Self.admin)
        let reply = try h.ask("client.create", ClientCardTests.anna("030 1234567", email: nil))
        #expect(reply.error == nil, "\(String(describing: reply.error))")
        let card = try JSONCoding.decoder.decode(ClientCard.self, from: JSONCoding.encoder.encode(reply.result))
        #expect(card.fields.phone == "+49301234567")
    }
}

extension ProcessorHarness {
    /// A store card answered to `user`; fails with the reply's error otherwise.
    mutating func store<Body: Encodable>(_ type: String, _ body: Body, as user: String) throws -> StoreCard {
        let reply = try ask(type, body, as: user)
        guard let result = reply.result else { throw HarnessError.failed(reply.error) }
        return try JSONCoding.decoder.decode(StoreCard.self, from: JSONCoding.encoder.encode(result))
    }

    mutating func stores(_ query: StoreList, as user: String) throws -> [StoreCard] {
        let reply = try ask("store.list", query, as: user)
        guard let result = reply.result else { throw HarnessError.failed(reply.error) }
        return try JSONCoding.decoder.decode(StoreListResult.self, from: JSONCoding.encoder.encode(result)).items
    }
}
