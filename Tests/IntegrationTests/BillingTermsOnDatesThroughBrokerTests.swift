import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite.BillingRulesThroughBrokerTests {
    /// Terms on their dates: an expense in another currency converts by the personal rate in force
    /// on the expense's date (none yet: refused), and the tax rule starts at its local second in its
    /// time zone. Then the account's postpay, limit and deferment change by `billing.account.update`:
    /// postpay off below zero blocks, a new limit unblocks, and each change is in the history.
    @Test func ratesAndTaxesOnTheirDatesAndAccountUpdatesThroughTheBroker() async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
            let op = try Self.ready(url, billing, clients: ["c1"])
            let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
            let at = { (text: String) in RFC3339.date(from: text)! }
            _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                            currency: "RUB", isDefault: true), as: BillingProvider.self)
            _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting", accountID: "a1",
                                                                      postpay: true), as: BillingAccount.self)
            // 1 USD = 90 RUB from 1 November, 100 RUB from 20 November.
            for (rate, from) in [("90", "2026-11-01T00:00:00Z"), ("100", "2026-11-20T00:00:00Z")] {
                _ = try op.ask("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                                   rate: rate, effectiveFrom: at(from)), as: BillingRate.self)
            }
            func expense(_ amount: Int64, _ currency: String, on date: String) throws -> BillingExpense {
                try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: "a1", amount: Money(amount: amount, currency: currency),
                                                                          date: at(date)), as: BillingExpense.self)
            }
            #expect(try expense(100, "USD", on: "2026-11-10T12:00:00Z").converted.amount == 9_000)
            #expect(try expense(100, "USD", on: "2026-11-25T12:00:00Z").converted.amount == 10_000)
            #expect(try op.refusal("billing.expense.create", BillingExpenseCreate(
                storeID: "s1", accountID: "a1", amount: Money(amount: 100, currency: "USD"), date: at("2026-10-31T23:59:59Z")))?
                .details.first == ErrorDetail(field: "amount.currency", problem: "no_rate"), "no rate in force yet")

            // 20 % from 15 November 00:00:00 in Moscow (= 14 November 21:00:00 UTC).
            _ = try op.ask("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "hosting", percent: "20",
                                                                      timeZone: "Europe/Moscow", start: "2026-11-15T00:00:00"), as: BillingTaxRule.self)
            #expect(try expense(10_000, "RUB", on: "2026-11-14T20:59:59Z").tax == 0, "the second before")
            #expect(try expense(10_000, "RUB", on: "2026-11-14T21:00:00Z").total.amount == 12_000, "its first second")

            // Balance −41000 (9000 + 10000 + 10000 + 12000): postpay off blocks, a limit of 50000 unblocks.
            var account = try op.ask("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", postpay: false),
                                     as: BillingAccount.self)
            #expect(account.balance.amount == -41_000 && account.blocked && account.blockedReason == "credit_limit")
            account = try op.ask("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", creditLimit: 50_000),
                                 as: BillingAccount.self)
            #expect(!account.blocked && account.creditLeft?.amount == 9_000)
            account = try op.ask("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", deferment: "days",
                                                                                defermentDays: 10, blockAfterDays: 15), as: BillingAccount.self)
            #expect(account.deferment == "days" && account.defermentDays == 10 && account.blockAfterDays == 15)
            #expect(try op.refusal("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", blockAfterDays: 5))?
                .details.first == ErrorDetail(field: "block_after_days", problem: "before_deferment_ends"))
            let events = try tap.collect(2, timeout: .seconds(5)) + tap.collect(1, timeout: .milliseconds(300))
            let reasons = try events.map { "\($0.type ?? "") " + (try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body).reason) }
            #expect(reasons == ["billing.account.blocked credit_limit", "billing.account.unblocked limit_raised"])

            let changes = try op.ask("billing.account.history", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingHistoryResult.self)
                .changes.filter { $0.field != "opened" }
            #expect(changes.map(\.field) == ["postpay", "blocked", "credit_limit", "blocked", "deferment", "deferment_days", "block_after_days"])
            #expect(changes.first?.oldValue == "true" && changes.first?.newValue == "false")
            #expect(changes.allSatisfy { $0.changedBy == DevelopmentUsers.operatorName })
        }
    }
}
