import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Testing
@testable import WorkerKit

@Suite struct ClientSearchTests {
    static func person(_ first: String, _ last: String, phone: String, email: String? = nil) -> ClientCreate {
        var fields = ClientFields()
        fields.firstName = first
        fields.lastName = last
        fields.phone = phone
        fields.email = email
        return ClientCreate(storeID: "s1", fields: fields)
    }

    mutating func search(_ h: inout ProcessorHarness, _ query: ClientSearch) throws -> ClientSearchResult {
        let reply = try h.ask("client.search", query)
        guard let result = reply.result else { throw HarnessError.failed(reply.error) }
        return try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(result))
    }

    @Test mutating func findsByNamePrefixesPhonesInAnyFormatAndEmail() throws {
        var h = try ProcessorHarness()
        let fyodor = try h.card("client.create", Self.person("Фёдор", "Алексеев", phone: "+79123456789", email: "fyodor@example.ru"))
        let anna = try h.card("client.create", Self.person("Анна", "Алексеева", phone: "+79120000000"))
        _ = try h.card("client.create", Self.person("Ivan", "Petrov", phone: "+79130000000"))

        func ids(_ q: ClientSearch) throws -> Set<String> { Set(try search(&h, q).items.map(\.clientID)) }
        #expect(try ids(ClientSearch(storeID: "s1", query: "алекс")) == [fyodor.clientID, anna.clientID])
        #expect(try ids(ClientSearch(storeID: "s1", query: "федор алекс")) == [fyodor.clientID], "ё and е are the same letter")
        #expect(try ids(ClientSearch(storeID: "s1", query: "ФЁДОР")) == [fyodor.clientID], "case does not matter")
        for written in ["8 (912) 345-67-89", "+7 912 345 67 89", "9123456789"] {
            #expect(try ids(ClientSearch(storeID: "s1", query: written)) == [fyodor.clientID], "\(written)")
            #expect(try ids(ClientSearch(storeID: "s1", phone: written)) == [fyodor.clientID], "\(written)")
        }
        #expect(try ids(ClientSearch(storeID: "s1", query: "fyodor@example")) == [fyodor.clientID])
        #expect(try ids(ClientSearch(storeID: "s1", email: "FYODOR@example.ru")) == [fyodor.clientID])
        #expect(try ids(ClientSearch(storeID: "s1", clientID: anna.clientID)) == [anna.clientID])
        #expect(try ids(ClientSearch(storeID: "other", query: "алекс")) == [], "another store's clients are not seen")
    }

    @Test mutating func deletedClientsOnlyWhenAskedAndGuestsFromOrdersToo() throws {
        var h = try ProcessorHarness()
        let gone = try h.card("client.create", Self.person("Пётр", "Сидоров", phone: "+79140000000"))
        _ = try h.card("client.delete", ClientRef(clientID: gone.clientID))
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "сидоров")).items.isEmpty)
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "сидоров", includeDeleted: true)).items.map(\.clientID) == [gone.clientID])
        _ = try h.process(orderPlacedMessage(order: "o-9", phone: "+79150000000"))
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "ivanova")).items.count == 1, "a guest from an order")
    }

    @Test mutating func pagesFollowTheCursor() throws {
        var h = try ProcessorHarness()
        for i in 0..<25 {
            _ = try h.card("client.create", Self.person("Client\(i)", "Paged", phone: String(format: "+7916%07d", i)))
        }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try search(&h, ClientSearch(storeID: "s1", query: "paged", limit: 10, cursor: cursor))
            seen += page.items.map(\.clientID)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 25 && Set(seen).count == 25)
    }
}
