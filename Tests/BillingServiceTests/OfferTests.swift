import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing
import WorkerKit

/// `billing.offer.*` on both engines: lines priced with the client's terms when the offer is made,
/// numbered per store, and the states' rules (new → accepted | rejected, accepted → rejected).
@Suite struct OfferTests {
    static let start = RFC3339.date(from: "2026-01-01T00:00:00Z")!

    /// The example offer's terms: 12.5 % off vps, 20 % tax with provider p1.
    static func terms(_ h: inout BillingHarness, store: String = "s1", client: String = "c1", provider: String = "p1") throws {
        _ = try h.result("billing.discount.add", BillingDiscountEdit(
            storeID: store, clientID: client, kind: .percent, percent: "12.5", productTypes: ["vps"], startsAt: start), as: BillingDiscount.self)
        _ = try h.result("billing.tax_rule.add", BillingTaxRuleEdit(
            storeID: store, clientID: client, providerID: provider, name: "НДС", percent: "20", timeZone: "Europe/Moscow",
            start: "2026-01-01T00:00:00"), as: BillingTaxRule.self)
    }

    static func create(store: String = "s1", client: String = "c1", provider: String = "p1") -> BillingOfferCreate {
        BillingOfferCreate(storeID: store, clientID: client, providerID: provider, currency: "RUB", title: "Хостинг на год", lines: [
            .init(description: "Виртуальный сервер, 12 месяцев", productType: "vps", quantity: 12, unitPrice: Money(amount: 99_000, currency: "RUB")),
            .init(description: "Настройка", quantity: 1, unitPrice: Money(amount: 250_000, currency: "RUB")),
        ])
    }

    @Test(arguments: TestEngine.all) func anOfferIsPricedAndNumbered(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        try Self.terms(&h)
        let offer = try h.result("billing.offer.create", Self.create(), as: BillingOffer.self)
        #expect(offer.number == "Q-000001" && offer.state == .new)
        let rub = { (amount: Int64) in Money(amount: amount, currency: "RUB") }
        #expect(offer.lines.map(\.amount) == [rub(1_188_000), rub(250_000)])
        #expect(offer.lines.map(\.discount) == [rub(148_500), rub(0)])
        #expect(offer.lines.map(\.tax) == [rub(207_900), rub(50_000)])
        #expect(offer.lines.map(\.total) == [rub(1_247_400), rub(300_000)])
        #expect(offer.subtotal == rub(1_438_000) && offer.discount == rub(148_500) && offer.tax == rub(257_900) && offer.total == rub(1_547_400))
        #expect(try h.result("billing.offer.create", Self.create(), as: BillingOffer.self).number == "Q-000002")
        #expect(try h.result("billing.offer.create", Self.create(store: "s2"), as: BillingOffer.self).number == "Q-000001", "numbered per store")

        // A line in a currency the client has no rate for: refused naming it, nothing kept.
        var foreign = Self.create()
        foreign.lines[1].unitPrice = Money(amount: 100, currency: "USD")
        let refused = try h.ask("billing.offer.create", foreign)
        #expect(refused.error?.code == .validationFailed && refused.error?.message.contains("USD") == true)
        #expect(try h.count("SELECT COUNT(*) FROM billing_offer WHERE store_id = 's1'") == 2)

        let listed = try h.result("billing.offer.list", BillingOfferList(storeID: "s1", clientID: "c1"), as: BillingOfferListResult.self)
        #expect(listed.offers.map(\.number) == ["Q-000002", "Q-000001"] && listed.offers.last == offer)
    }

    @Test(arguments: TestEngine.all) func statesMoveOnlyForward(engine: TestEngine) throws {
        var h = try BillingHarness(engine: engine)
        let first = try h.result("billing.offer.create", Self.create(), as: BillingOffer.self)
        let accepted = try h.result("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: first.offerID), as: BillingOffer.self)
        #expect(accepted.state == .accepted)
        #expect(try h.result("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: first.offerID), as: BillingOffer.self) == accepted,
                "accepting twice answers the same")
        let rejected = try h.result("billing.offer.reject", BillingOfferAction(storeID: "s1", offerID: first.offerID, reason: "Дорого"),
                                    as: BillingOffer.self)
        #expect(rejected.state == .rejected && rejected.reason == "Дорого")
        #expect(try h.ask("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: first.offerID)).error?.code == .conflict)
        #expect(try h.ask("billing.offer.accept", BillingOfferAction(storeID: "s2", offerID: first.offerID)).error?.code == .notFound)
        #expect(try h.result("billing.offer.list", BillingOfferList(storeID: "s1", state: .rejected), as: BillingOfferListResult.self)
            .offers.map(\.offerID) == [first.offerID])
        #expect(try h.result("billing.offer.list", BillingOfferList(storeID: "s1", state: .new), as: BillingOfferListResult.self).offers.isEmpty)

        // An offer past its date cannot be accepted.
        var expiring = Self.create()
        expiring.validUntil = h.now.addingTimeInterval(60)
        let late = try h.result("billing.offer.create", expiring, as: BillingOffer.self)
        h.now = h.now.addingTimeInterval(120)
        #expect(try h.ask("billing.offer.accept", BillingOfferAction(storeID: "s1", offerID: late.offerID)).error?.code == .conflict)
        expiring.validUntil = h.now.addingTimeInterval(-1)
        #expect(try h.ask("billing.offer.create", expiring).error?.details.first?.field == "valid_until")
    }
}
