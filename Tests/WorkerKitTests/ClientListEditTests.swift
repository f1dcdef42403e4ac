import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// The address and company commands: list edits under the card's version, in the history and
/// the search index like any other change.
@Suite struct ClientListEditTests {
    static let moscow = ClientAddress(kind: .invoice, country: "RU", city: "Москва", street: "Тверская", house: "1")
    static let kazan = ClientAddress(kind: .shipping, country: "RU", city: "Казань", street: "Баумана", house: "12")

    @Test(arguments: TestEngine.all) func addressesAreAddedReplacedAndRemovedByPosition(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", ClientCardTests.anna())
        let one = try h.card("client.address.add", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 1, address: Self.moscow))
        let two = try h.card("client.address.add", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 2, address: Self.kazan))
        #expect(one.fields.addresses == [Self.moscow] && two.fields.addresses == [Self.moscow, Self.kazan] && two.version == 3)

        var moved = Self.kazan
        moved.apartment = "7"
        let replaced = try h.card("client.address.update", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 3, index: 1, address: moved))
        #expect(replaced.fields.addresses == [Self.moscow, moved])
        let removed = try h.card("client.address.remove", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 4, index: 0))
        #expect(removed.fields.addresses == [moved] && removed.version == 5)
        #expect(removed.fields.lastName == "Иванова", "the rest of the card is untouched")

        let history = try h.ask("client.history", ClientHistoryQuery(storeID: "s1", clientID: card.clientID))
        let fields = try JSONCoding.decoder.decode(ClientHistoryResult.self, from: JSONCoding.encoder.encode(history.result)).items.map(\.field)
        #expect(fields.filter { $0 == "addresses" }.count == 4)
        #expect(try h.outbox().filter { $0.routingKey == "client.updated" }.count == 4)
    }

    @Test(arguments: TestEngine.all) func aStaleVersionOrAnIndexOutOfRangeIsRefused(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", ClientCardTests.anna())
        _ = try h.card("client.address.add", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 1, address: Self.moscow))
        let stale = try h.ask("client.address.add", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 1, address: Self.kazan))
        #expect(stale.error?.code == .conflict && stale.error?.details.first?.field == "version")
        let outside = try h.ask("client.address.remove", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 2, index: 1))
        #expect(outside.error?.code == .validationFailed)
        #expect(outside.error?.details == [ErrorDetail(field: "index", problem: "out_of_range", extra: ["count": .integer(1)])])
        let missing = try h.ask("client.address.update", ClientAddressEdit(storeID: "s1", clientID: card.clientID, version: 2, index: 0))
        #expect(missing.error?.details.first?.field == "address" && missing.error?.details.first?.problem == "required")
        let read = try h.card("client.get", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(read.version == 2 && read.fields.addresses == [Self.moscow], "refused edits change nothing")
    }

    @Test(arguments: TestEngine.all) func companiesAreFoundBySearchAsSoonAsTheyAreAdded(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", ClientCardTests.anna())
        let company = ClientCompany(name: "ООО Ромашка", inn: "7707083893", kpp: "773601001")
        _ = try h.card("client.company.add", ClientCompanyEdit(storeID: "s1", clientID: card.clientID, version: 1, company: company))
        func found(_ search: ClientSearch) throws -> [String] {
            let reply = try h.ask("client.search", search)
            return try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(reply.result)).items.map(\.clientID)
        }
        #expect(try found(ClientSearch(storeID: "s1", company: "ромашка")) == [card.clientID])
        #expect(try found(ClientSearch(storeID: "s1", company: "7707083893")) == [card.clientID])

        var renamed = company
        renamed.name = "АО Лютик"
        _ = try h.card("client.company.update", ClientCompanyEdit(storeID: "s1", clientID: card.clientID, version: 2, index: 0, company: renamed))
        #expect(try found(ClientSearch(storeID: "s1", company: "ромашка")).isEmpty)
        #expect(try found(ClientSearch(storeID: "s1", company: "лютик")) == [card.clientID])
        let removed = try h.card("client.company.remove", ClientCompanyEdit(storeID: "s1", clientID: card.clientID, version: 3, index: 0))
        #expect(removed.fields.companies == [])
        #expect(try found(ClientSearch(storeID: "s1", company: "лютик")).isEmpty)
    }
}
