import Contracts
import CRMTestSupport
import Foundation
import Testing
@testable import WorkerKit

@Suite struct RatingTests {
    @Test(arguments: TestEngine.all) func statisticsCountEachKindOfOrder(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("o1", client: "c1", amount: 1_000_00, day: 1))
        try h.send("order.attributed", attributed("o2", client: "c1", amount: 2_500_00, day: 2))
        try h.send("order.attributed", attributed("o3", client: "c1", method: .card, amount: 700_00, currency: "USD", day: 3))
        try h.send("order.attributed", attributed("o4", client: "c1", day: 4))
        try h.send("order.attributed", attributed("o5", client: "c1", day: 5))
        try h.send("order.attributed", attributed("o6", client: "c1", day: 6))
        try h.send("order.status_changed", status("o1", .completed, at: 100))
        try h.send("order.status_changed", status("o2", .delivered, at: 100))
        try h.send("order.status_changed", status("o3", .completed, at: 100))
        try h.send("order.status_changed", status("o4", .refused, at: 100))
        try h.send("order.status_changed", status("o5", .canceled, at: 100))
        try h.send("order.status_changed", status("o6", .shipped, at: 100))

        let rating = try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1"))
        #expect(rating.stats.orders == 6)
        #expect(rating.stats.completed == 3)
        #expect(rating.stats.refused == 1)
        #expect(rating.stats.returned == nil, "zero is left out while show_empty_params is off")
        #expect(rating.stats.canceled == 1)
        #expect(rating.stats.unfinished == 1)
        #expect(rating.stats.purchases == [Money(amount: 3_500_00, currency: "RUB"), Money(amount: 700_00, currency: "USD")])
        #expect(rating.stats.redemptionRate == 0.75)
        #expect(rating.external == nil)
        #expect(rating.trust.reasons.contains("1 of 3 cash-on-delivery orders refused or returned"))
        #expect(rating.trust.level == .neutral)
    }

    @Test(arguments: TestEngine.all) func showEmptyParamsKeepsTheZeroLines(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("o1", client: "c1"))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1")).stats.refused == nil)
        let reply = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", showEmptyParams: true))
        #expect(reply.ok)
        let stats = try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1")).stats
        #expect(stats.refused == 0 && stats.returned == 0 && stats.completed == 0 && stats.purchases == [])
        #expect(stats.unfinished == 1)
    }

    @Test(arguments: TestEngine.all) func aLateOlderStatusNeverOverridesANewerOne(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("o1", client: "c1"))
        try h.send("order.status_changed", status("o1", .completed, at: 200))
        try h.send("order.status_changed", status("o1", .shipped, at: 100))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1")).stats.completed == 1)
    }

    @Test(arguments: TestEngine.all) func aStatusBeforeItsOrderWaitsForIt(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.status_changed", status("o1", .refused, at: 200))
        try h.send("order.attributed", attributed("o1", client: "c1"))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", orderID: "o1")).stats.refused == 1)
    }

    @Test(arguments: TestEngine.all) func duplicatedAndRedeliveredEventsCountOnce(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        try h.send("order.attributed", attributed("o1", client: "c1"), messageID: "same")
        #expect(try h.send("order.attributed", attributed("o1", client: "c1"), messageID: "same") == .duplicate)
        try h.send("order.attributed", attributed("o1", client: "c1"), messageID: "other-id-same-order")
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1")).stats.orders == 1)
    }

    @Test(arguments: TestEngine.all) func anUnknownClientOrOrderIsNotFound(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        #expect(try h.ask("reliability.get", ReliabilityGet(storeID: "s1", clientID: "nobody")).error?.code == .notFound)
        #expect(try h.ask("reliability.get", ReliabilityGet(storeID: "s1", orderID: "o404")).error?.code == .notFound)
    }

    @Test(arguments: TestEngine.all) func aQueryNeedsAClientOrAnOrder(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        let reply = try h.ask("reliability.get", ReliabilityGet(storeID: "s1"))
        #expect(reply.error?.code == .validationFailed)
    }
}

@Suite struct TrustPolicyTests {
    @Test(arguments: TestEngine.all) func buyersWhoRefuseHalfAreNotTrusted(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        for (i, outcome) in [OrderStatus.completed, .refused, .returned, .completed].enumerated() {
            try h.send("order.attributed", attributed("o\(i)", client: "c1"))
            try h.send("order.status_changed", status("o\(i)", outcome, at: 100))
        }
        let trust = try h.rating(ReliabilityGet(storeID: "s1", clientID: "c1")).trust
        #expect(trust.level == .noTrust)
        #expect(trust.reasons == ["2 of 4 finished orders completed", "2 of 4 cash-on-delivery orders refused or returned"])
    }

    @Test(arguments: TestEngine.all) func buyersWhoPayAreTrustedAndNewOnesUnknown(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        for i in 0..<3 {
            try h.send("order.attributed", attributed("o\(i)", client: "good"))
            try h.send("order.status_changed", status("o\(i)", .completed, at: 100))
        }
        try h.send("order.attributed", attributed("n1", client: "new"))
        #expect(try h.rating(ReliabilityGet(storeID: "s1", clientID: "good")).trust.level == .trusted)
        let fresh = try h.rating(ReliabilityGet(storeID: "s1", clientID: "new")).trust
        #expect(fresh.level == .unknown)
        #expect(fresh.reasons == ["no finished orders yet", "1 order in progress"])
    }
}

@Suite struct SettingsTests {
    @Test(arguments: TestEngine.all) func activatingNeedsTheCredentialsAndNamesWhatIsMissing(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        let refused = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(storeID: "s1", activate: true, partnerCode: "P1"))
        #expect(refused.error?.code == .validationFailed)
        #expect(refused.error?.details.map(\.field) == ["signature", "base_url"])

        let accepted = try h.ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P1", signature: "top-secret", baseURL: "http://127.0.0.1:9"))
        #expect(accepted.ok)
        let text = String(decoding: try JSONCoding.encoder.encode(accepted), as: UTF8.self)
        #expect(!text.contains("top-secret"), "the signature is never answered")
        #expect(accepted.result?["signature_set"] == .bool(true))

        let read = try h.ask("reliability.settings.get", ReliabilitySettingsGet(storeID: "s1"))
        #expect(read.result?["partner_code"] == .string("P1"))
        #expect(read.result?["activate"] == .bool(true))
    }

    @Test(arguments: TestEngine.all) func aStoreWithoutSettingsHasTheDefaults(engine: TestEngine) throws {
        var h = try ReliabilityHarness(engine: engine)
        let read = try h.ask("reliability.settings.get", ReliabilitySettingsGet(storeID: "fresh"))
        #expect(read.result?["activate"] == .bool(false))
        #expect(read.result?["timeout_ms"] == .integer(3000))
        #expect(read.result?["partner_code"] == .null)
    }
}
