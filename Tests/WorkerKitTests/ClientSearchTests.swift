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

    @Test(arguments: TestEngine.all) mutating func findsByNamePrefixesPhonesInAnyFormatAndEmail(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
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
        #expect(try ids(ClientSearch(storeID: "s2", query: "алекс")) == [], "another store's clients are not seen")
    }

    @Test(arguments: TestEngine.all) mutating func deletedClientsOnlyWhenAskedAndGuestsFromOrdersToo(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let gone = try h.card("client.create", Self.person("Пётр", "Сидоров", phone: "+79140000000"))
        _ = try h.card("client.delete", ClientRef(storeID: "s1", clientID: gone.clientID))
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "сидоров")).items.isEmpty)
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "сидоров", includeDeleted: true)).items.map(\.clientID) == [gone.clientID])
        _ = try h.process(orderPlacedMessage(order: "o-9", phone: "+79150000000"))
        #expect(try search(&h, ClientSearch(storeID: "s1", query: "ivanova")).items.count == 1, "a guest from an order")
    }

    @Test(arguments: TestEngine.all) mutating func pagesFollowTheCursor(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
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

@Suite struct ClientCompanyTests {
    @Test(arguments: TestEngine.all) func companiesAreFoundByNameOrINNAndMoveWithAMerge(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        var fields = ClientFields()
        fields.firstName = "Ольга"
        fields.phone = "+79170000001"
        fields.companies = [ClientCompany(name: "ООО «Ромашка»", inn: "7707083893", kpp: "770701001")]
        fields.addresses = [ClientAddress(kind: .shipping, country: "RU", city: "Москва", street: "Тверская", house: "7")]
        let olga = try h.card("client.create", ClientCreate(storeID: "s1", fields: fields))
        #expect(olga.fields.companies?.first?.kpp == "770701001" && olga.fields.addresses?.first?.city == "Москва")

        func search(_ q: ClientSearch) throws -> [String] {
            let reply = try h.ask("client.search", q)
            return try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(reply.result)).items.map(\.clientID)
        }
        #expect(try search(ClientSearch(storeID: "s1", company: "ромаш")) == [olga.clientID])
        #expect(try search(ClientSearch(storeID: "s1", company: "7707083893")) == [olga.clientID])
        #expect(try search(ClientSearch(storeID: "s1", company: "ольга")) == [], "a person's name is not a company")
        #expect(try search(ClientSearch(storeID: "s1", query: "ромашка")) == [olga.clientID], "free text sees company names too")

        var other = ClientFields()
        other.firstName = "Оля"
        other.phone = "+79170000002"
        other.addresses = [ClientAddress(kind: .invoice, city: "Тверь")]
        let olya = try h.card("client.create", ClientCreate(storeID: "s1", fields: other))
        let merged = try h.card("client.merge", ClientMerge(storeID: "s1", survivorID: olga.clientID, mergedIDs: [olya.clientID]))
        #expect(merged.fields.addresses?.map(\.city) == ["Москва", "Тверь"], "addresses move to the survivor")
        _ = try h.card("client.unmerge", ClientUnmerge(storeID: "s1", mergedID: olya.clientID))
        #expect(try h.card("client.get", ClientRef(storeID: "s1", clientID: olga.clientID)).fields.addresses?.map(\.city) == ["Москва"])
    }
}
