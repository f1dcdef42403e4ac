import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct MergeTests {
    static let at = Date(timeIntervalSince1970: 1_714_700_000)

    @Test(arguments: TestEngine.all) func aMergeMovesOrdersToTheSurvivorAndAnUnmergeGivesThemBack(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("a1", client: "A"))
        try h.send("order.attributed", attributed("b1", client: "B"))
        try h.send("order.attributed", attributed("b2", client: "B"))
        try h.send("order.attributed", attributed("c1", client: "C"))
        try h.send("order.status_changed", status("b1", .refused, at: 100))

        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "C", mergedIDs: ["A", "B"], mergedAt: Self.at))
        let merged = try h.rating(ReliabilityGet(storeID: "s1", clientID: "C"))
        #expect(merged.stats.orders == 4 && merged.stats.refused == 1)
        #expect(try h.ask("reliability.get", ReliabilityGet(storeID: "s1", clientID: "B")).error?.code == .notFound)
        // An order that comes in later under a merged client counts for the survivor too.
        try h.send("order.attributed", attributed("b3", client: "B"))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "C")).stats.orders == 5)

        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "C", restoredIDs: ["B"], unmergedAt: Self.at))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "B")).stats.orders == 3)
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "C")).stats.orders == 2, "A stays merged into C")
    }

    @Test(arguments: TestEngine.all) func mergesOfMergesComeApartInAnyOrder(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        for (order, client) in [("a1", "A"), ("b1", "B"), ("c1", "C")] {
            try h.send("order.attributed", attributed(order, client: client))
        }
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "B", mergedIDs: ["A"], mergedAt: Self.at))
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "C", mergedIDs: ["B"], mergedAt: Self.at))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "C")).stats.orders == 3)
        // B comes back with A's order, since A is still merged into B.
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "C", restoredIDs: ["B"], unmergedAt: Self.at))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "B")).stats.orders == 2)
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "B", restoredIDs: ["A"], unmergedAt: Self.at))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "A")).stats.orders == 1)
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "B")).stats.orders == 1)
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "C")).stats.orders == 1)
    }
}
