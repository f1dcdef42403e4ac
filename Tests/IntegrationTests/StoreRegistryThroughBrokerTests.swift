import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import Testing

extension BrokerSuite {
    /// The store registry through the broker: crmctl registers a German store, client-service
    /// answers and announces it, reliability-service keeps its copy, and the store's customers'
    /// numbers written in German national form come out in E.164 with +49.
    @Suite struct StoreRegistryThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        @Test func aGermanStoreThroughTheBroker() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { clients in
                try await RunningWorker.with(ReliabilityServiceDefinition(secrets: .random(), outbound: .development), url: url) { reliability in
                    let tap = try EventTap(url: url, keys: ["store.updated", "order.attributed"])
                    let client = try RequestClient(url: url, appID: "test")

                    // Before anyone registers it, the store works with the defaults.
                    let unregistered = try client.result(of: "store.get", body: Self.body(StoreGet(storeID: "de-1")), as: StoreCard.self)
                    #expect(unregistered == StoreCard.defaults(storeID: "de-1"))

                    let saved = try OperatorToolTests.crmctl(url, ["send", "store.upsert", "--json", """
                        {"store_id": "de-1", "name": "Berlin", "default_country": "DE", "currency": "EUR",
                         "time_zone": "Europe/Berlin", "locale": "en", "account_id": "acme"}
                        """])
                    #expect(saved.status == 0 && saved.output.contains("\"registered\" : true"), "\(saved.output)")
                    let bad = try OperatorToolTests.crmctl(url, ["send", "store.upsert", "--json", #"{"store_id": "de-1", "currency": "EUX"}"#])
                    #expect(bad.status == 1 && bad.output.contains("currency"), "\(bad.output)")

                    let store = try client.result(of: "store.get", body: Self.body(StoreGet(storeID: "de-1")), as: StoreCard.self)
                    #expect(store.registered && store.version == 1 && store.defaultCountry == "DE" && store.accountID == "acme")
                    let listed = try client.result(of: "store.list", body: Self.body(StoreList(accountID: "acme")), as: StoreListResult.self)
                    #expect(listed.items == [store])

                    let announced = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                    #expect(announced.type == "store.updated")
                    #expect(try JSONCoding.decoder.decode(StoreCard.self, from: announced.body) == store)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try reliability.count("SELECT COUNT(*) FROM rel_store WHERE store_id = 'de-1' AND default_country = 'DE'") == 1
                    }, "reliability-service keeps its copy")

                    // The issue's number: needs PhoneNumber on libphonenumber (a nine-digit Berlin number).
                    var fields = ClientFields()
                    (fields.firstName, fields.phone) = ("Greta", "030 1234567")
                    let greta = try client.result(of: "client.create", body: Self.body(ClientCreate(storeID: "de-1", fields: fields)),
                                                  as: ClientCard.self)
                    #expect(greta.fields.phone == "+49301234567")
                    #expect(greta.fields.originStore == "de-1" && greta.fields.registeredBy == url.user)

                    let publisher = try ConfirmedPublisher(url: url)
                    try publisher.publish([orderPlacedMessage(store: "de-1", order: "b-1", phone: "030 1234567")])
                    let attributed = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                    let order = try JSONCoding.decoder.decode(OrderAttributed.self, from: attributed.body)
                    #expect(order.phone == "+49301234567" && order.clientID == greta.clientID && order.matchedBy == .phone)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try reliability.count("SELECT COUNT(*) FROM rel_order WHERE store_id = 'de-1' AND phone = '+49301234567'") == 1
                    })
                    #expect(try clients.count("SELECT COUNT(*) FROM store") == 1)
                }
            }
        }
    }
}
