import Contracts
import CRMTestSupport
import Dispatch
import Foundation
import Messaging
import SQLStore
import Testing
@testable import WorkerKit

/// Two replicas on one database: one transaction is held open while another one, on another
/// connection, handles a message that reads what the first is changing. On PostgreSQL (READ
/// COMMITTED) each would miss the other's uncommitted rows without the locks the handlers take;
/// on SQLite the second writer simply waits. Either way nothing may be lost.
@Suite struct ReplicaRaceTests {
    static func delivery(_ type: String, _ body: some Encodable, id: String = UUID().uuidString) throws -> Delivery {
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: id, type: type,
                                  replyTo: "replies", userID: DevelopmentUsers.sender(of: type))
        return Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.events, routingKey: type)
    }

    /// `first` in a transaction held open on another thread, `second` meanwhile (TransactionRace).
    static func race(_ h: ReliabilityHarness, _ first: Delivery, _ second: Delivery) throws {
        try TransactionRace.run(h.storage, h.processor, first, second)
    }

    static let at = Date(timeIntervalSince1970: 1_714_700_000)
    static func merge(_ merged: String, into survivor: String) throws -> Delivery {
        try delivery("client.merged", ClientMerged(storeID: "s1", survivorID: survivor, mergedIDs: [merged], mergedAt: at))
    }

    @Test(arguments: TestEngine.all) func anOrderAttributedDuringAMergeOfItsClientFollowsTheMerge(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("a1", client: "A"))
        try h.send("order.attributed", attributed("b1", client: "B"))
        try Self.race(h, try Self.delivery("order.attributed", attributed("a2", client: "A")), try Self.merge("A", into: "B"))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "B")).stats.orders == 3)
    }

    @Test(arguments: TestEngine.all) func anOrderAttributedAfterAMergeOnAnotherReplicaGoesToTheSurvivor(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("b1", client: "B"))
        try Self.race(h, try Self.merge("A", into: "B"), try Self.delivery("order.attributed", attributed("a1", client: "A")))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "B")).stats.orders == 2)
        #expect(try h.count("SELECT COUNT(*) FROM rel_order WHERE client_id = 'A'") == 0)
    }

    @Test(arguments: TestEngine.all, [true, false])
    func twoSettingsUpdatesOfOneStoreKeepBothChanges(engine: TestEngine, rowExists: Bool) throws {
        var h = try ReliabilityHarness(engine: engine)
        if rowExists {
            #expect(try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", partnerCode: "P1")).ok)
        }
        try Self.race(h, try Self.delivery("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", partnerCode: "P2")),
                      try Self.delivery("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", timeoutMs: 1234)))
        let settings = try h.result("reliability.settings.get", ReliabilitySettingsGet(storeID: "s1"), as: ReliabilitySettingsView.self)
        #expect(settings.partnerCode == "P2" && settings.timeoutMs == 1234)
    }
}
