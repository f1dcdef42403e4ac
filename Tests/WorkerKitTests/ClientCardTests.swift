import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
@testable import WorkerKit

/// client-service's card commands over a real SQLite file (queries answer through the outbox here:
/// the harness passes no direct-answer collector).
@Suite struct ClientCardTests {
    static func anna(_ phone: String? = "8 (912) 345-67-89", email: String? = "Anna@Example.ru") -> ClientCreate {
        var fields = ClientFields()
        fields.firstName = "Анна"
        fields.lastName = "Иванова"
        fields.phone = phone
        fields.email = email
        fields.groups = ["vip"]
        return ClientCreate(storeID: "s1", fields: fields)
    }

    @Test(arguments: TestEngine.all) func createNormalizesAndFillsTheDefaults(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", Self.anna())
        #expect(card.fields.phone == "+79123456789" && card.fields.email == "anna@example.ru")
        #expect(card.fields.kind == .person && card.fields.newsletter == true && card.fields.source == "telephone")
        #expect(card.fields.characteristic == "normal" && card.version == 1 && !card.deleted)
        #expect(try h.outbox().contains { $0.routingKey == "client.created" })
        let read = try h.card("client.get", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(read.fields == card.fields && read.orders == [])
    }

    @Test(arguments: TestEngine.all) func anEmailOrPhoneUsedInTheStoreIsRefusedNamingTheHolder(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let first = try h.card("client.create", Self.anna())
        let sameEmail = try h.ask("client.create", Self.anna("+79990000000", email: "anna@example.ru"))
        #expect(sameEmail.error?.code == .validationFailed)
        #expect(sameEmail.error?.details == [ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(first.clientID)])])
        let samePhone = try h.ask("client.create", Self.anna("+7 912 345 67 89", email: "other@example.ru"))
        #expect(samePhone.error?.details.first?.field == "phone" && samePhone.error?.details.first?.problem == "already_used")
        let badPhone = try h.ask("client.create", Self.anna("12-ab", email: "x@example.ru"))
        #expect(badPhone.error?.details == [ErrorDetail(field: "phone", problem: "invalid_format")])
        let badEmail = try h.ask("client.create", Self.anna("+79990000001", email: "not-an-email"))
        #expect(badEmail.error?.details.first?.field == "email" && badEmail.error?.details.first?.problem == "invalid_format")
    }

    /// The shop's user id finds a buyer's card, so one live card of a store holds it; a guest made
    /// by an order holds it too.
    @Test(arguments: TestEngine.all) func aShopUserIDUsedInTheStoreIsRefusedNamingTheHolder(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        _ = try h.process(orderPlacedMessage(order: "o-1", externalID: "u-7", phone: nil))
        let guest = try OrderBuyerKeysTests.attributed(h, order: "o-1")
        var fields = Self.anna().fields
        fields.externalID = "u-7"
        let taken = try h.ask("client.create", ClientCreate(storeID: "s1", fields: fields))
        #expect(taken.error?.details == [ErrorDetail(field: "external_id", problem: "already_used", extra: ["client_id": .string(guest.clientID)])])
        fields.externalID = "u-8"
        #expect(try h.ask("client.create", ClientCreate(storeID: "s1", fields: fields)).error == nil)
    }

    @Test(arguments: TestEngine.all) func updatesNeedTheCurrentVersionAndAreHistory(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", Self.anna())
        var change = ClientFields()
        change.lastName = "Петрова"
        change.label = "wholesale"
        let updated = try h.card("client.update", ClientUpdate(storeID: "s1", clientID: card.clientID, version: 1, changes: change))
        #expect(updated.version == 2 && updated.fields.lastName == "Петрова" && updated.fields.label == "wholesale")
        #expect(updated.fields.email == "anna@example.ru", "fields not sent keep their value")

        var late = ClientFields()
        late.lastName = "Сидорова"
        let stale = try h.ask("client.update", ClientUpdate(storeID: "s1", clientID: card.clientID, version: 1, changes: late))
        #expect(stale.error?.code == .conflict)

        let history = try h.ask("client.history", ClientHistoryQuery(storeID: "s1", clientID: card.clientID))
        let items = try JSONCoding.decoder.decode(ClientHistoryResult.self, from: JSONCoding.encoder.encode(history.result)).items
        let lastName = try #require(items.first { $0.field == "last_name" && $0.after == .string("Петрова") })
        #expect(lastName.before == .string("Иванова") && lastName.author == DevelopmentUsers.operatorName)
        let event = try #require(try h.outbox().last { $0.routingKey == "client.updated" })
        let changed = try JSONCoding.decoder.decode(ClientChanged.self, from: event.body)
        #expect(changed.changedFields?.sorted() == ["label", "last_name"])
    }

    @Test(arguments: TestEngine.all) func anEmptyStringClearsAField(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", Self.anna())
        var change = ClientFields()
        change.email = ""
        let cleared = try h.card("client.update", ClientUpdate(storeID: "s1", clientID: card.clientID, version: 1, changes: change))
        #expect(cleared.fields.email == nil)
    }

    @Test(arguments: TestEngine.all) func deleteIsSoftAndRestoreChecksTheKeysAreStillFree(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", Self.anna())
        let deleted = try h.card("client.delete", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(deleted.deleted && deleted.version == 2)
        // The e-mail is free again while the client is deleted …
        let other = try h.card("client.create", Self.anna("+79990000002"))
        // … so restoring the first one now collides.
        let refused = try h.ask("client.restore", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(refused.error?.details.first == ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(other.clientID)]))
        _ = try h.card("client.delete", ClientRef(storeID: "s1", clientID: other.clientID))
        let restored = try h.card("client.restore", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(!restored.deleted && restored.version == 3)
        #expect(try h.ask("client.get", ClientRef(storeID: "s1", clientID: "nobody")).error?.code == .notFound)
    }

    @Test(arguments: TestEngine.all) func ordersOfAttributedBuyersShowOnTheCard(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let card = try h.card("client.create", Self.anna())
        _ = try h.process(orderPlacedMessage(order: "o-1", phone: "89123456789"))
        let read = try h.card("client.get", ClientRef(storeID: "s1", clientID: card.clientID))
        #expect(read.orders?.map(\.orderID) == ["o-1"])
        #expect(read.orders?.first?.total == Money(amount: 259_800, currency: "RUB"))
    }
}

@Suite struct DeletedClientUpdateTests {
    @Test(arguments: TestEngine.all) func aDeletedClientCanBeEditedWhileItsEmailIsTakenElsewhere(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let first = try h.card("client.create", ClientCardTests.anna())
        _ = try h.card("client.delete", ClientRef(storeID: "s1", clientID: first.clientID))
        _ = try h.card("client.create", ClientCardTests.anna("+79990000003"))
        var change = ClientFields()
        change.lastName = "Петрова"
        let edited = try h.card("client.update", ClientUpdate(storeID: "s1", clientID: first.clientID, version: 2, changes: change))
        #expect(edited.fields.lastName == "Петрова" && edited.deleted)
    }
}
