import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Testing

@Suite struct AccountTests {
    @Test(arguments: TestEngine.all) func anAccountOpensOnlyForAConnectedProviderAndOnlyOnceActive(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        try h.provider("mail", isDefault: false)
        #expect(try h.refusal("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "mail"))?
            .details.first?.problem == "not_connected")
        #expect(try h.refusal("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "nobody", providerID: "hosting"))?
            .code == .notFound)
        let account = try h.open(account: "a1", creditLimit: 1000)
        #expect(account.balance == Money(amount: 0, currency: "RUB") && account.creditLeft?.amount == 1000 && !account.blocked)
        #expect(try h.refusal("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting"))?
            .details.first?.problem == "already_open")
        // A second, inactive one may be opened, and not made active while the first is.
        _ = try h.result("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting",
                                                                    accountID: "a2", active: false), as: BillingAccount.self)
        #expect(try h.refusal("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a2", active: true))?
            .code == .conflict)
        // The card's providers come from client.updated: a newer version connects another.
        try h.client("c1", providers: ["hosting", "mail"], version: 2)
        _ = try h.open(provider: "mail")
        let list = try h.result("billing.account.list", BillingAccountList(storeID: "s1", clientID: "c1"), as: BillingAccountListResult.self)
        #expect(list.accounts.map(\.providerID).sorted() == ["hosting", "hosting", "mail"])
    }

    @Test(arguments: TestEngine.all) func everyChangeIsRecordedWithItsAuthorAndTime(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        h.now += 60
        _ = try h.result("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", postpay: true, creditLimit: 500),
                         as: BillingAccount.self, user: "crm-admin")
        let history = try h.result("billing.account.history", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingHistoryResult.self)
        #expect(history.changes.map(\.field) == ["opened", "postpay", "credit_limit"])
        #expect(history.changes[0].changedBy == "operator-demo" && history.changes[1].changedBy == "crm-admin")
        #expect(history.changes[2].oldValue == "0" && history.changes[2].newValue == "500" && history.changes[2].changedAt == h.now)
    }

    @Test(arguments: TestEngine.all) func anotherStoresAccountReadsAsUnknown(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        #expect(try h.refusal("billing.account.get", BillingAccountRef(storeID: "s2", accountID: "a1"))?.code == .notFound)
        // A shop's operator of another store may not even ask.
        #expect(try h.ask("billing.account.get", BillingAccountRef(storeID: "s9", accountID: "a1")).error?.code == .unauthorized)
    }

    @Test(arguments: TestEngine.all) func aProvidersNewCurrencyLeavesTheOldAccountsUnavailable(engine: TestEngine) throws {
        var h = try BillingHarness.ready(engine)
        _ = try h.open(account: "a1")
        _ = try h.expense("a1", 100)
        try h.provider(currency: "EUR")
        let account = try h.account("a1")
        #expect(!account.available && account.balance.amount == -100, "the history stays")
        #expect(try h.refusal("billing.expense.create", BillingExpenseCreate(
            storeID: "s1", accountID: "a1", amount: Money(amount: 1, currency: "RUB"), date: h.now))?.details.first?.problem == "unavailable")
        let providers = try h.result("billing.provider.list", BillingProviderList(storeID: "s1"), as: BillingProviderListResult.self)
        #expect(providers.providers.map(\.currency) == ["EUR"])
    }
}
