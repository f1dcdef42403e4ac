import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// client-service's registry commands and queries through the broker, and crmctl's `client` commands.
    @Suite struct ClientCommandsThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        static func json(_ text: String) -> Data { Data(text.utf8) }

        static func fields(_ set: (inout ClientFields) -> Void) -> ClientFields {
            var fields = ClientFields()
            set(&fields)
            return fields
        }

        static func create(_ client: RequestClient, _ store: String = "s1", _ set: (inout ClientFields) -> Void) throws -> ClientCard {
            try client.result(of: "client.create", body: body(ClientCreate(storeID: store, fields: fields(set))), as: ClientCard.self)
        }

        /// The reply's error, nil when the reply was a success.
        static func error(_ client: RequestClient, _ type: String, _ body: Data) throws -> ErrorBody? {
            let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: type, body: body).body)
            #expect(reply.ok == (reply.error == nil))
            return reply.error
        }

        static func search(_ client: RequestClient, _ search: ClientSearch) throws -> [ClientCard] {
            try client.result(of: "client.search", body: body(search), as: ClientSearchResult.self).items
        }

        @Test func everyCommandHappyPath() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "operator-console")
                let created = try Self.create(client) {
                    ($0.firstName, $0.lastName, $0.email, $0.phone) = ("Анна", "Петрова", "Anna@Example.com", "8 (912) 345-67-89")
                    $0.groups = ["vip"]
                }
                #expect(created.version == 1 && !created.deleted && created.storeID == "s1")
                #expect(created.fields.email == "anna@example.com" && created.fields.phone == "+79123456789")
                #expect(created.fields.groups == ["vip"] && created.fields.kind == .person && created.fields.source == "telephone")

                let ref = Self.body(ClientRef(storeID: "s1", clientID: created.clientID))
                let got = try client.result(of: "client.get", body: ref, as: ClientCard.self)
                #expect(got.fields == created.fields && got.version == 1)
                #expect(got.orders == [], "client.get carries the (empty) order list")

                var changes = ClientFields()
                (changes.lastName, changes.email) = ("Иванова", "")
                let updated = try client.result(of: "client.update", body: Self.body(ClientUpdate(
                    storeID: "s1", clientID: created.clientID, version: 1, changes: changes)), as: ClientCard.self)
                #expect(updated.version == 2 && updated.fields.lastName == "Иванова")
                #expect(updated.fields.email == nil, "an empty string clears the e-mail")
                #expect(updated.fields.phone == "+79123456789" && updated.fields.groups == ["vip"], "untouched fields stay")
                #expect(updated.updatedAt >= created.updatedAt)

                let history = try client.result(of: "client.history", body: Self.body(ClientHistoryQuery(storeID: "s1", clientID: created.clientID)),
                                                as: ClientHistoryResult.self).items
                let latest = Array(history.prefix(2))
                #expect(Set(latest.map(\.field)) == ["last_name", "email"], "newest first: \(history.map(\.field))")
                let lastName = latest.first { $0.field == "last_name" }
                #expect(lastName?.before == .string("Петрова") && lastName?.after == .string("Иванова"))
                #expect(lastName?.author == DevelopmentUsers.operatorName)
                let email = latest.first { $0.field == "email" }
                #expect(email?.before == .string("anna@example.com") && email?.after == .null)
                let creation = history.first { $0.field == "first_name" }
                #expect(creation?.before == .null && creation?.after == .string("Анна") && creation?.author == DevelopmentUsers.operatorName)
                let limited = try client.result(of: "client.history", body: Self.body(ClientHistoryQuery(storeID: "s1", clientID: created.clientID, limit: 1)),
                                                as: ClientHistoryResult.self).items
                #expect(limited.count == 1 && limited.first == history.first)

                let deleted = try client.result(of: "client.delete", body: ref, as: ClientCard.self)
                #expect(deleted.deleted && deleted.version == 3)
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "анна")).isEmpty, "a deleted client is not found")
                let withDeleted = try Self.search(client, ClientSearch(storeID: "s1", query: "анна", includeDeleted: true))
                #expect(withDeleted.map(\.clientID) == [created.clientID] && withDeleted.first?.deleted == true)

                let restored = try client.result(of: "client.restore", body: ref, as: ClientCard.self)
                #expect(!restored.deleted && restored.version == 4)
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "анна")).map(\.clientID) == [created.clientID])
                let lifecycle = try client.result(of: "client.history", body: Self.body(ClientHistoryQuery(storeID: "s1", clientID: created.clientID, limit: 2)),
                                                  as: ClientHistoryResult.self).items
                #expect(lifecycle.map(\.field) == ["deleted", "deleted"])
                #expect(lifecycle.map(\.after) == [.bool(false), .bool(true)])

                let missing = try Self.error(client, "client.get", Self.body(ClientRef(storeID: "s1", clientID: "nobody")))
                #expect(missing?.code == .notFound)

                // Addresses and companies, one edit at a time under the card's version.
                let home = ClientAddress(kind: .shipping, country: "RU", city: "Казань", street: "Баумана", house: "12")
                let withAddress = try client.result(of: "client.address.add", body: Self.body(ClientAddressEdit(
                    storeID: "s1", clientID: created.clientID, version: 4, address: home)), as: ClientCard.self)
                #expect(withAddress.version == 5 && withAddress.fields.addresses == [home])
                var office = home
                (office.kind, office.city) = (.invoice, "Москва")
                let replaced = try client.result(of: "client.address.update", body: Self.body(ClientAddressEdit(
                    storeID: "s1", clientID: created.clientID, version: 5, index: 0, address: office)), as: ClientCard.self)
                #expect(replaced.fields.addresses == [office])
                let firm = ClientCompany(name: "ООО Ромашка", inn: "7707083893")
                let withCompany = try client.result(of: "client.company.add", body: Self.body(ClientCompanyEdit(
                    storeID: "s1", clientID: created.clientID, version: 6, company: firm)), as: ClientCard.self)
                #expect(withCompany.fields.companies == [firm] && withCompany.fields.addresses == [office])
                #expect(try Self.search(client, ClientSearch(storeID: "s1", company: "7707083893")).map(\.clientID) == [created.clientID])
                let renamed = try client.result(of: "client.company.update", body: Self.body(ClientCompanyEdit(
                    storeID: "s1", clientID: created.clientID, version: 7, index: 0, company: ClientCompany(name: "АО Лютик"))), as: ClientCard.self)
                #expect(renamed.fields.companies?.map(\.name) == ["АО Лютик"])
                let noCompany = try client.result(of: "client.company.remove", body: Self.body(ClientCompanyEdit(
                    storeID: "s1", clientID: created.clientID, version: 8, index: 0)), as: ClientCard.self)
                let noAddress = try client.result(of: "client.address.remove", body: Self.body(ClientAddressEdit(
                    storeID: "s1", clientID: created.clientID, version: 9, index: 0)), as: ClientCard.self)
                #expect(noCompany.fields.companies == [] && noAddress.fields.addresses == [] && noAddress.version == 10)
                let outside = try Self.error(client, "client.address.remove", Self.body(ClientAddressEdit(
                    storeID: "s1", clientID: created.clientID, version: 10, index: 0)))
                #expect(outside?.code == .validationFailed && outside?.details.first?.field == "index")
                let noIndex = try Self.error(client, "client.company.remove", Self.json(#"{"store_id": "s1", "client_id": "x", "version": 1}"#))
                #expect(noIndex?.code == .validationFailed && noIndex?.details.first?.field == "index")
            }
        }

        @Test func twoUpdatesOfOneVersionOneWinsOneConflicts() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let created = try Self.create(client) { $0.firstName = "Борис" }
                var ids: [String: String] = [:]
                for name in ["Первый", "Второй"] {
                    var changes = ClientFields()
                    changes.lastName = name
                    let id = UUID().uuidString
                    ids[id] = name
                    try client.send(type: "client.update", body: Self.body(ClientUpdate(storeID: "s1", clientID: created.clientID, version: 1, changes: changes)),
                                    messageID: id)
                }
                var replies: [String: Reply] = [:]
                for id in ids.keys {
                    replies[id] = try JSONCoding.decoder.decode(Reply.self, from: client.waitForReply(correlationID: id, timeout: .seconds(10)).body)
                }
                let winners = replies.filter { $0.value.ok }
                let losers = replies.filter { !$0.value.ok }
                #expect(winners.count == 1 && losers.count == 1, "\(replies)")
                let conflict = try #require(losers.first?.value.error)
                #expect(conflict.code == .conflict)
                #expect(conflict.details.first?.field == "version" && conflict.details.first?.problem == "stale")
                #expect(conflict.details.first?.extra["current"] == .integer(2))

                let card = try client.result(of: "client.get", body: Self.body(ClientRef(storeID: "s1", clientID: created.clientID)), as: ClientCard.self)
                #expect(card.version == 2)
                #expect(card.fields.lastName == winners.first.flatMap { ids[$0.key] }, "the winner's change is the one kept")
                let history = try client.result(of: "client.history", body: Self.body(ClientHistoryQuery(storeID: "s1", clientID: created.clientID)),
                                                as: ClientHistoryResult.self).items
                #expect(history.filter { $0.field == "last_name" }.count == 1, "the loser wrote no history")
            }
        }

        @Test func validationErrorsNameTheFieldAndTheHolder() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let holder = try Self.create(client) { ($0.firstName, $0.email, $0.phone) = ("Анна", "anna@example.com", "+79123456789") }

                let taken = try Self.error(client, "client.create", Self.body(ClientCreate(storeID: "s1", fields: Self.fields {
                    ($0.firstName, $0.email) = ("Другая", "ANNA@example.com")
                })))
                #expect(taken?.code == .validationFailed)
                #expect(taken?.details == [ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(holder.clientID)])])
                let phoneTaken = try Self.error(client, "client.create", Self.body(ClientCreate(storeID: "s1", fields: Self.fields {
                    ($0.firstName, $0.phone) = ("Другая", "8 912 345-67-89")
                })))
                #expect(phoneTaken?.details == [ErrorDetail(field: "phone", problem: "already_used", extra: ["client_id": .string(holder.clientID)])])
                let otherStore = try Self.create(client, "s2") { ($0.firstName, $0.email) = ("Анна", "anna@example.com") }
                #expect(otherStore.fields.email == "anna@example.com", "unique within a store only")

                let other = try Self.create(client) { ($0.firstName, $0.email) = ("Вера", "vera@example.com") }
                var steal = ClientFields()
                steal.email = "anna@example.com"
                let stolen = try Self.error(client, "client.update", Self.body(ClientUpdate(storeID: "s1", clientID: other.clientID, version: 1, changes: steal)))
                #expect(stolen?.details == [ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(holder.clientID)])])

                let badPhone = try Self.error(client, "client.create", Self.body(ClientCreate(storeID: "s1", fields: Self.fields {
                    ($0.firstName, $0.phone) = ("Глеб", "12-34")
                })))
                #expect(badPhone?.code == .validationFailed)
                #expect(badPhone?.details == [ErrorDetail(field: "phone", problem: "invalid_format")])
                let badSearch = try Self.error(client, "client.search", Self.body(ClientSearch(storeID: "s1", phone: "call me")))
                #expect(badSearch?.details == [ErrorDetail(field: "phone", problem: "invalid_format")])

                let unknown = try Self.error(client, "client.create", Self.json(#"{"store_id": "s1", "first_name": "Дан", "nickname": "d"}"#))
                #expect(unknown?.code == .validationFailed)
                #expect(unknown?.details.map(\.field) == ["nickname"], "\(String(describing: unknown))")
                let noName = try Self.error(client, "client.create", Self.json(#"{"store_id": "s1"}"#))
                #expect(noName?.code == .validationFailed && noName?.details.map(\.field) == ["first_name"])
                let stale = try Self.error(client, "client.update", Self.json(#"{"store_id": "s1", "client_id": "\#(other.clientID)", "version": 0}"#))
                #expect(stale?.code == .validationFailed && stale?.details.map(\.field) == ["version"])

                // A deleted client's e-mail is free; restoring it then would take it back from its new holder.
                _ = try client.result(of: "client.delete", body: Self.body(ClientRef(storeID: "s1", clientID: holder.clientID)), as: ClientCard.self)
                let successor = try Self.create(client) { ($0.firstName, $0.email) = ("Нина", "anna@example.com") }
                let restore = try Self.error(client, "client.restore", Self.body(ClientRef(storeID: "s1", clientID: holder.clientID)))
                #expect(restore?.details == [ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(successor.clientID)])])
                let still = try client.result(of: "client.get", body: Self.body(ClientRef(storeID: "s1", clientID: holder.clientID)), as: ClientCard.self)
                #expect(still.deleted && still.version == 2, "a refused restore changes nothing")
            }
        }

        @Test func searchFindsPhonesInAnyFormatAndNamesIgnoringYo() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let fyodor = try Self.create(client) { ($0.firstName, $0.lastName, $0.phone) = ("Фёдор", "Ёлкин", "+79123456789") }
                let fedot = try Self.create(client) { ($0.firstName, $0.lastName, $0.phone) = ("Федот", "Елисеев", "+79995554433") }
                _ = try Self.create(client, "s2") { ($0.firstName, $0.phone) = ("Фёдор", "+79123456789") }

                for written in ["8 (912) 345-67-89", "+7 912 345 67 89", "9123456789", "+79123456789"] {
                    let byPhone = try Self.search(client, ClientSearch(storeID: "s1", phone: written))
                    #expect(byPhone.map(\.clientID) == [fyodor.clientID], "phone \(written)")
                    let byText = try Self.search(client, ClientSearch(storeID: "s1", query: written))
                    #expect(byText.map(\.clientID) == [fyodor.clientID], "query \(written)")
                }
                for query in ["федор", "ФЁДОР", "фёдор", "елк", "ЁЛКИН", "Елкин Фед"] {
                    let found = try Self.search(client, ClientSearch(storeID: "s1", query: query))
                    #expect(found.map(\.clientID) == [fyodor.clientID], "query \(query): \(found.map { "\($0.fields.firstName ?? "") \($0.fields.lastName ?? "")" })")
                }
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "фе")).map(\.clientID) == [fyodor.clientID, fedot.clientID])
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "фёд")).map(\.clientID) == [fyodor.clientID, fedot.clientID],
                        "ё in the query matches е in a name too")
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "ели")).map(\.clientID) == [fedot.clientID])
                #expect(try Self.search(client, ClientSearch(storeID: "s1", query: "лкин")).isEmpty, "a word's start, not its middle")

                let first = try client.result(of: "client.search", body: Self.body(ClientSearch(storeID: "s1", query: "фе", limit: 1)),
                                              as: ClientSearchResult.self)
                #expect(first.items.map(\.clientID) == [fyodor.clientID])
                let cursor = try #require(first.nextCursor)
                let second = try client.result(of: "client.search", body: Self.body(ClientSearch(storeID: "s1", query: "фе", limit: 1, cursor: cursor)),
                                               as: ClientSearchResult.self)
                #expect(second.items.map(\.clientID) == [fedot.clientID] && second.nextCursor == nil)
            }
        }

        @Test func crmctlClientCommands() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                /// The result of the reply crmctl printed.
                func decode<T: Decodable>(_ output: String, as: T.Type) throws -> T {
                    let reply = try JSONCoding.decoder.decode(Reply.self, from: Data(output.utf8))
                    let result = try #require(reply.result, "\(output)")
                    return try JSONCoding.decoder.decode(T.self, from: JSONCoding.encoder.encode(result))
                }
                func card(_ output: String) throws -> ClientCard { try decode(output, as: ClientCard.self) }
                let created = try OperatorToolTests.crmctl(url, ["client", "create", "--store", "s1", "--first-name", "Анна",
                                                                "--phone", "8 912 345 67 89", "--json", #"{"groups": ["vip"]}"#])
                #expect(created.status == 0, "\(created.output)")
                let anna = try card(created.output)
                #expect(anna.fields.phone == "+79123456789" && anna.fields.groups == ["vip"] && anna.version == 1)

                let found = try OperatorToolTests.crmctl(url, ["client", "search", "--store", "s1", "--query", "анна"])
                #expect(found.status == 0, "\(found.output)")
                #expect(try decode(found.output, as: ClientSearchResult.self).items.map(\.clientID) == [anna.clientID])
                #expect(found.output.contains("+79123456789"))
                let byPhone = try OperatorToolTests.crmctl(url, ["client", "search", "--store", "s1", "--phone", "+7 912 345-67-89"])
                #expect(byPhone.status == 0 && byPhone.output.contains(anna.clientID), "\(byPhone.output)")

                let got = try OperatorToolTests.crmctl(url, ["client", "get", "--store", "s1", "--client", anna.clientID])
                #expect(got.status == 0, "\(got.output)")
                #expect(try card(got.output).fields.firstName == "Анна")

                let updated = try OperatorToolTests.crmctl(url, ["client", "update", "--store", "s1", "--client", anna.clientID, "--version", "1",
                                                                "--json", #"{"last_name": "Иванова"}"#, "--email", "anna@example.com"])
                #expect(updated.status == 0, "\(updated.output)")
                let v2 = try card(updated.output)
                #expect(v2.version == 2 && v2.fields.lastName == "Иванова" && v2.fields.email == "anna@example.com")
                let history = try OperatorToolTests.crmctl(url, ["client", "history", "--store", "s1", "--client", anna.clientID, "--limit", "2"])
                #expect(history.status == 0, "\(history.output)")
                let changes = try decode(history.output, as: ClientHistoryResult.self).items
                #expect(Set(changes.map(\.field)) == ["last_name", "email"] && changes.allSatisfy { $0.author == url.user }, "\(history.output)")
                #expect(changes.first { $0.field == "last_name" }?.after == .string("Иванова"))

                let stale = try OperatorToolTests.crmctl(url, ["client", "update", "--store", "s1", "--client", anna.clientID, "--version", "1",
                                                              "--last-name", "Петрова"])
                #expect(stale.status == 1 && stale.output.contains("conflict"), "\(stale.output)")
                let missing = try OperatorToolTests.crmctl(url, ["client", "get", "--store", "s1", "--client", "nobody"])
                #expect(missing.status == 1 && missing.output.contains("not_found"), "\(missing.output)")
                let invalid = try OperatorToolTests.crmctl(url, ["client", "create", "--store", "s1", "--first-name", "Б", "--phone", "12-34"])
                #expect(invalid.status == 1 && invalid.output.contains("invalid_format"), "\(invalid.output)")

                let deleted = try OperatorToolTests.crmctl(url, ["client", "delete", "--store", "s1", "--client", anna.clientID])
                #expect(deleted.status == 0, "\(deleted.output)")
                #expect(try card(deleted.output).deleted)
                let hidden = try OperatorToolTests.crmctl(url, ["client", "search", "--store", "s1", "--query", "анна"])
                #expect(hidden.status == 0 && !hidden.output.contains(anna.clientID), "\(hidden.output)")
                let shown = try OperatorToolTests.crmctl(url, ["client", "search", "--store", "s1", "--query", "анна", "--include-deleted"])
                #expect(shown.output.contains(anna.clientID), "\(shown.output)")
                let restored = try OperatorToolTests.crmctl(url, ["client", "restore", "--store", "s1", "--client", anna.clientID])
                #expect(restored.status == 0, "\(restored.output)")
                #expect(try !card(restored.output).deleted)
            }
        }
    }
}
