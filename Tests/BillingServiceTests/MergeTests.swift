import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct MergeTests {
    static let at = Date(timeIntervalSince1970: 1_780_000_000)

    @Test(arguments: TestEngine.all) func aMergeJoinsLedgersOfOneProviderAndMovesTheOthersAndAnUnmergeGivesThemBack(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        try h.provider("mail", isDefault: false)
        try h.client("c2", providers: ["hosting", "mail"])
        _ = try h.open("c1", account: "a1", postpay: true)
        _ = try h.open("c2", account: "b1", postpay: true)
        _ = try h.open("c2", provider: "mail", account: "b2", postpay: true)
        _ = try h.expense("a1", 100)
        _ = try h.expense("b1", 40, id: "eb1")
        _ = try h.expense("b2", 7)

        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "c1", mergedIDs: ["c2"], mergedAt: Self.at))
        let joined = try h.account("a1")
        #expect(try joined.balance.amount == -140 && (h.ledgerSum("a1")) == -140)
        #expect(try h.account("b1").joinedInto == "a1" && (h.account("b1")).balance.amount == 0)
        #expect(try h.value("SELECT note FROM billing_ledger WHERE kind = 'merge_joined'", as: String.self)?.contains("b1") == true)
        let list = try h.result("billing.account.list", BillingAccountList(storeID: "s1", clientID: "c1"), as: BillingAccountListResult.self)
        #expect(list.accounts.map(\.accountID).sorted() == ["a1", "b2"])
        // Paid after the merge, in the joined account: the payment goes back with its expense.
        _ = try h.pay("a1", expenses: ["eb1"])

        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "c1", restoredIDs: ["c2"], unmergedAt: Self.at))
        #expect(try h.account("a1").balance.amount == -100)
        #expect(try h.account("b1").balance.amount == 0 && (h.account("b1")).joinedInto == nil)
        #expect(try h.account("b2").clientID == "c2")
    }

    /// Offers (documents) follow their client: to the survivor with the merge, back with the unmerge.
    @Test(arguments: TestEngine.all) func offersFollowTheirClientThroughAMergeAndBack(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        try h.client("c2")
        let lines = [BillingOfferCreate.Line(description: "Setup", quantity: 1, unitPrice: Money(amount: 1_000, currency: "RUB"))]
        let offer = try h.result("billing.offer.create", BillingOfferCreate(storeID: "s1", clientID: "c2", providerID: "hosting",
                                                                            currency: "RUB", lines: lines), as: BillingOffer.self)
        func offers(_ client: String) throws -> [String] {
            try h.result("billing.offer.list", BillingOfferList(storeID: "s1", clientID: client), as: BillingOfferListResult.self)
                .offers.map(\.offerID)
        }
        try h.send("client.merged", ClientMerged(storeID: "s1", survivorID: "c1", mergedIDs: ["c2"], mergedAt: Self.at))
        #expect(try offers("c1") == [offer.offerID] && offers("c2").isEmpty)
        try h.send("client.unmerged", ClientUnmerged(storeID: "s1", survivorID: "c1", restoredIDs: ["c2"], unmergedAt: Self.at))
        #expect(try offers("c2") == [offer.offerID] && offers("c1").isEmpty)
    }
}
