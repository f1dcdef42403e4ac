import ClientService
import Contracts
import CRMTestSupport
import Foundation
import GRDB
import Messaging
import Testing
@testable import WorkerKit

/// `order.placed` with phones and e-mails as shops send them, through client-service's handler:
/// numbers are read by libphonenumber, addresses compared in one spelling, and an order whose
/// phone is no valid number is still attributed by its other keys instead of dead-lettered.
@Suite struct OrderBuyerKeysTests {
    /// The one `order.attributed` the order produced.
    static func attributed(_ h: ProcessorHarness, order: String) throws -> OrderAttributed {
        let events = try h.outbox().filter { $0.routingKey == "order.attributed" }
            .map { try JSONCoding.decoder.decode(OrderAttributed.self, from: $0.body) }
        return try #require(events.first { $0.orderID == order })
    }

    @Test(arguments: TestEngine.all) func anInvalidPhoneLeavesTheOrderToItsOtherKeys(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let anna = try h.card("client.create", ClientCardTests.anna("+7 912 345 67 89", email: "anna@example.ru"))

        // One digit too many: no such number. The e-mail still finds Anna.
        let byEmail = try h.process(orderPlacedMessage(order: "o-1", phone: "+7 912 345 67 89 0", email: "Anna@Example.ru", replyTo: "r"))
        guard case .handled = byEmail else { Issue.record("dead-lettered or retried: \(byEmail)"); return }
        let first = try Self.attributed(h, order: "o-1")
        #expect(first.clientID == anna.clientID && first.matchedBy == .email)
        #expect(first.phone == "+79123456789", "the card's own phone, not the invalid one")

        // The shop's user id wins over everything; the invalid phone is no obstacle.
        _ = try h.process(orderPlacedMessage(order: "o-2", externalID: "u-7", phone: "+7 912 345 67 89 0"))
        let guest = try Self.attributed(h, order: "o-2")
        #expect(guest.matchedBy == .newGuest && guest.phone == nil)
        _ = try h.process(orderPlacedMessage(order: "o-3", externalID: "u-7", phone: "12345"))
        #expect(try Self.attributed(h, order: "o-3").clientID == guest.clientID)
        #expect(try Self.attributed(h, order: "o-3").matchedBy == .externalID)

        // Nothing else to go by: a guest card with the buyer's name, and no phone on it.
        _ = try h.process(orderPlacedMessage(order: "o-4", phone: "not a phone"))
        let alone = try Self.attributed(h, order: "o-4")
        #expect(alone.matchedBy == .newGuest && alone.phone == nil)
        #expect(try h.count("SELECT COUNT(*) FROM client_order") == 4)
        #expect(try h.outbox().allSatisfy { $0.routingKey != "client-service.dead" }, "no order is dead-lettered")
        #expect(try h.count("SELECT COUNT(*) FROM client WHERE phone IS NOT NULL AND phone NOT LIKE '+%'") == 0)
    }

    @Test(arguments: TestEngine.all) func numbersAsShopsWriteThemFindTheSameCard(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let office = try h.card("client.create", ClientCardTests.anna("+7 495 123-45-67", email: nil))
        // An extension is kept apart: the number is still the office's.
        _ = try h.process(orderPlacedMessage(order: "o-1", phone: "+7 495 123-45-67 доб. 123"))
        #expect(try Self.attributed(h, order: "o-1").clientID == office.clientID)
        #expect(try Self.attributed(h, order: "o-1").matchedBy == .phone)

        // Russia's international prefix 8~10: a German number.
        _ = try h.process(orderPlacedMessage(order: "o-2", phone: "8 10 49 30 1234567"))
        let german = try Self.attributed(h, order: "o-2")
        #expect(german.phone == "+49301234567" && german.matchedBy == .newGuest)
        _ = try h.process(orderPlacedMessage(order: "o-3", phone: "+49 30 1234567"))
        #expect(try Self.attributed(h, order: "o-3").clientID == german.clientID)
    }

    @Test(arguments: TestEngine.all) func twoSpellingsOfAnAddressAreOneBuyer(engine: TestEngine) throws {
        var h = try ProcessorHarness(engine: engine)
        let anna = try h.card("client.create", ClientCardTests.anna("+79120000009", email: "Anna@Пример.РФ"))
        #expect(anna.fields.email == "anna@xn--e1afmkfd.xn--p1ai")

        _ = try h.process(orderPlacedMessage(order: "o-1", phone: nil, email: "ANNA@xn--e1afmkfd.xn--p1ai"))
        #expect(try Self.attributed(h, order: "o-1").clientID == anna.clientID)

        // The local part in NFD (e + combining acute) and in NFC are one address for uniqueness.
        let nfc = try h.card("client.create", ClientCardTests.anna("+79120000010", email: "jos\u{00E9}@пример.рф"))
        let nfd = try h.ask("client.create", ClientCardTests.anna("+79120000011", email: "JOSE\u{0301}@Пример.рф"))
        #expect(nfd.error?.details == [ErrorDetail(field: "email", problem: "already_used", extra: ["client_id": .string(nfc.clientID)])])
        _ = try h.process(orderPlacedMessage(order: "o-2", phone: nil, email: "jose\u{0301}@ПРИМЕР.РФ"))
        #expect(try Self.attributed(h, order: "o-2").clientID == nfc.clientID)

        // Search by either spelling, exact or free text.
        func ids(_ query: ClientSearch) throws -> [String] {
            let reply = try h.ask("client.search", query)
            return try JSONCoding.decoder.decode(ClientSearchResult.self, from: JSONCoding.encoder.encode(reply.result)).items.map(\.clientID)
        }
        #expect(try ids(ClientSearch(storeID: "s1", email: "Anna@Пример.рф")) == [anna.clientID])
        #expect(try ids(ClientSearch(storeID: "s1", query: "anna@пример.рф")) == [anna.clientID])
    }
}

@Suite struct EmailSpellingMigrationTests {
    /// A card written before EmailAddress (Unicode domain, NFD local part) is found by its new
    /// spelling once the migration step has run.
    /// SQLite only: the step is one of SQLite's (PostgreSQL's tables start with the new spelling).
    @Test func storedAddressesTakeTheNewSpelling() throws {
        var h = try ProcessorHarness(engine: .sqlite)
        let anna = try h.card("client.create", ClientCardTests.anna("+79120000012", email: "anna@example.ru"))
        let pool = try #require(h.storage.sqlitePool)
        try pool.write { db in
            try db.execute(sql: "UPDATE client SET email = ? WHERE id = ?", arguments: ["jose\u{0301}@пример.рф", anna.clientID])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'client-7-email-spelling'")
        }
        var migrator = DatabaseMigrator()
        ServiceDatabase.registerRuntimeMigrations(&migrator)
        ClientServiceDefinition().registerMigrations(&migrator)
        try migrator.migrate(pool)
        let stored = try pool.read { db in try String.fetchOne(db, sql: "SELECT email FROM client WHERE id = ?", arguments: [anna.clientID]) }
        #expect(stored.map { Array($0.utf8) } == Array("jos\u{00E9}@xn--e1afmkfd.xn--p1ai".utf8))
        _ = try h.process(orderPlacedMessage(order: "o-1", phone: nil, email: "JOSÉ@Пример.РФ"))
        #expect(try OrderBuyerKeysTests.attributed(h, order: "o-1").clientID == anna.clientID)
    }
}
