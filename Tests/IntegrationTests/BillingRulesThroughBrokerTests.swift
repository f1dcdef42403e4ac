import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// The rules of the billing issue that BillingThroughBrokerTests does not walk through, with
    /// billing-service alone behind the broker (the cards arrive as client-service's events would),
    /// an operator of stores s1 and s2 asking. Several rules per test keep the broker runs few.
    @Suite struct BillingRulesThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        /// Requests as the operator of s1 and s2: `ask` decodes a result, `refusal` the error.
        struct Operator {
            let client: RequestClient
            func ask<R: Decodable>(_ type: String, _ value: some Encodable, as: R.Type) throws -> R {
                try client.result(of: type, body: BillingRulesThroughBrokerTests.body(value), as: R.self)
            }
            func refusal(_ type: String, _ value: some Encodable) throws -> ErrorBody? {
                try JSONCoding.decoder.decode(Reply.self, from: client.request(type: type, body: BillingRulesThroughBrokerTests.body(value)).body).error
            }
        }

        static func ready(_ url: AMQPURL, _ billing: RunningWorker, clients: [String]) throws -> Operator {
            let cards = try clients.map { id in
                AMQPMessage(body: body(try clientChangedEvent(id: id, providers: ["hosting"])), messageID: "card-\(id)",
                            type: "client.updated", userID: url.user)
            }
            try ConfirmedPublisher(url: url).publish(cards)
            #expect(try eventually(timeout: .seconds(10)) { try billing.count("SELECT COUNT(*) FROM billing_client") == clients.count })
            return Operator(client: try RequestClient(url: TestBroker.url(url, as: DevelopmentUsers.operatorName), appID: "operator-console"))
        }

        /// Providers (upsert/get/list, a new currency leaving old accounts unavailable), accounts
        /// (connected providers only, one active, update with its history, get and list with the
        /// turnover, another store's reading as unknown), expenses under personal terms (discount
        /// over promotion, tax, rate; update, delete; no rate: refused), payments (update, delete
        /// only while unpaid, credit, allocation, history), withdrawals; the balance is the ledger's sum.
        @Test func providersAccountsMovementsAndTermsThroughTheBroker() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
                let op = try Self.ready(url, billing, clients: ["c1", "c2"])
                let hosting = try op.ask("billing.provider.upsert", BillingProviderUpsert(
                    storeID: "s1", providerID: "hosting", name: "Хостинг", currency: "RUB", freeRequests: 3, requestPeriod: "month",
                    extraRequestPrice: 5_000, loginAtRegistration: true, isDefault: true), as: BillingProvider.self)
                #expect(hosting.updatedBy == DevelopmentUsers.operatorName)
                _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "mail", name: "Почта", currency: "RUB"),
                               as: BillingProvider.self)
                let got = try op.ask("billing.provider.get", BillingProviderRef(storeID: "s1", providerID: "hosting"), as: BillingProvider.self)
                #expect(got.freeRequests == 3 && got.extraRequestPrice == 5_000 && got.loginAtRegistration && got.isDefault)
                #expect(try op.ask("billing.provider.list", BillingProviderList(storeID: "s1"), as: BillingProviderListResult.self)
                    .providers.map(\.providerID).sorted() == ["hosting", "mail"])

                // Accounts open only with a connected provider, once active per provider.
                #expect(try op.refusal("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "mail"))?
                    .details.first?.problem == "not_connected")
                _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting", accountID: "a1",
                                                                          creditLimit: 1_000, referrerID: "c2"), as: BillingAccount.self)
                #expect(try op.refusal("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting"))?
                    .details.first?.problem == "already_open")
                // Its services: one active, one closed (a block leaves that one alone).
                let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
                for name in ["vps", "mail"] {
                    _ = try op.ask("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "a1", serviceID: name, name: name,
                                                                            price: Money(amount: 500, currency: "RUB")), as: BillingServiceView.self)
                }
                #expect(try op.ask("billing.service.update", BillingServiceUpdate(storeID: "s1", serviceID: "mail", state: "closed"),
                                   as: BillingServiceView.self).state == "closed")
                func services() throws -> [String: String] {
                    let list = try op.ask("billing.service.list", BillingServiceList(storeID: "s1", accountID: "a1"), as: BillingServiceListResult.self)
                    return Dictionary(uniqueKeysWithValues: list.services.map { ($0.serviceID, $0.state) })
                }
                #expect(try op.refusal("billing.account.get", BillingAccountRef(storeID: "s2", accountID: "a1"))?.code == .notFound,
                        "another store's account reads as unknown")
                #expect(try op.refusal("billing.account.get", BillingAccountRef(storeID: "s9", accountID: "a1"))?.code == .unauthorized)

                // Terms: 10 % off vps, 20 % tax, 1 USD = 90 RUB.
                let since = Date().addingTimeInterval(-86_400)
                let discount = try op.ask("billing.discount.add", BillingDiscountEdit(
                    storeID: "s1", clientID: "c1", kind: .percent, percent: "10", productTypes: ["vps"], startsAt: since), as: BillingDiscount.self)
                _ = try op.ask("billing.tax_rule.add", BillingTaxRuleEdit(storeID: "s1", clientID: "c1", providerID: "hosting", percent: "20",
                                                                          timeZone: "UTC", start: "2026-01-01T00:00:00"), as: BillingTaxRule.self)
                _ = try op.ask("billing.rate.add", BillingRateEdit(storeID: "s1", clientID: "c1", baseCurrency: "USD", convertedCurrency: "RUB",
                                                                   rate: "90", effectiveFrom: since), as: BillingRate.self)
                // vps: the personal 10 % wins over a 30 % promotion; 10000 − 1000 + 1800 tax.
                let vps = try op.ask("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: "a1", expenseID: "e1", amount: Money(amount: 10_000, currency: "RUB"), productType: "vps",
                    date: Date(), promotion: BillingPromotion(promotionID: "spring", kind: .percent, percent: "30")), as: BillingExpense.self)
                #expect(vps.discountID == discount.discountID && vps.promotionID == nil && vps.total.amount == 10_800)
                // $10.00 → 90000 kopecks; no personal discount on domains, so the promotion's 500; tax 17900.
                let domain = try op.ask("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: "a1", expenseID: "e2", amount: Money(amount: 1_000, currency: "USD"), productType: "domain",
                    date: Date(), promotion: BillingPromotion(promotionID: "gift", kind: .amount, amount: Money(amount: 500, currency: "RUB"))),
                                    as: BillingExpense.self)
                #expect(domain.converted.amount == 90_000 && domain.promotionID == "gift" && domain.discount == 500 && domain.total.amount == 107_400)
                #expect(try op.refusal("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: "a1", amount: Money(amount: 100, currency: "EUR"), date: Date()))?.details.first
                        == ErrorDetail(field: "amount.currency", problem: "no_rate"), "no rate: two currencies are never added")
                // A change adds the difference (20000 − 2000 + 3600), a deletion gives the total back.
                #expect(try op.ask("billing.expense.update", BillingExpenseUpdate(storeID: "s1", expenseID: "e1", amount: Money(amount: 20_000, currency: "RUB")),
                                   as: BillingExpense.self).total.amount == 21_600)
                _ = try op.ask("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: "a1", expenseID: "e3",
                                                                              amount: Money(amount: 500, currency: "RUB"), date: Date()), as: BillingExpense.self)
                #expect(try op.ask("billing.expense.delete", BillingExpenseRef(storeID: "s1", expenseID: "e3"), as: BillingExpense.self).deleted)

                // Payments: an unpaid one changes and goes; a credited one stays, allocated over its expenses.
                _ = try op.ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: "a1", paymentID: "p0", expenseIDs: ["e1"]),
                               as: BillingPayment.self)
                _ = try op.ask("billing.payment.update", BillingPaymentUpdate(storeID: "s1", paymentID: "p0", amount: Money(amount: 400, currency: "RUB")),
                               as: BillingPayment.self)
                _ = try op.ask("billing.payment.delete", BillingPaymentRef(storeID: "s1", paymentID: "p0"), as: BillingPayment.self)
                let history = try op.ask("billing.payment.history", BillingPaymentRef(storeID: "s1", paymentID: "p0"), as: BillingHistoryResult.self)
                #expect(history.changes.map(\.field) == ["created", "amount", "state"] && history.changes.last?.newValue == "deleted")
                _ = try op.ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: "a1", paymentID: "p1", expenseIDs: ["e1", "e2"],
                                                                              amount: Money(amount: 100_000, currency: "RUB")), as: BillingPayment.self)
                let paid = try op.ask("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: "p1"), as: BillingPayment.self)
                #expect(paid.state == "paid" && paid.allocated == 100_000)
                #expect(try op.refusal("billing.payment.delete", BillingPaymentRef(storeID: "s1", paymentID: "p1"))?.code == .conflict)
                let allocation = try op.ask("billing.payment.allocation", BillingPaymentRef(storeID: "s1", paymentID: "p1"), as: BillingAllocationResult.self)
                #expect(allocation.lines == [BillingAllocationLine(expenseID: "e1", amount: 21_600), BillingAllocationLine(expenseID: "e2", amount: 78_400)])
                // A refund of 1000 to the client.
                _ = try op.ask("billing.withdrawal.create", BillingWithdrawalCreate(
                    storeID: "s1", accountID: "a1", amount: Money(amount: 1_000, currency: "RUB"), reason: "refund"), as: BillingWithdrawal.self)

                // The balance is the ledger's sum: −21600 − 107400 + 100000 − 1000.
                var account = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingAccount.self)
                let ledger = try billing.count("SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE account_id = 'a1'")
                #expect(account.balance.amount == -30_000 && ledger == -30_000 && account.blocked && account.blockedReason == "credit_limit")
                #expect(account.turnoverYear.amount == 129_000 && account.referrerID == "c2")
                #expect(try services() == ["vps": "suspended", "mail": "closed"])
                // A new limit unblocks; every change is in the history with its author.
                account = try op.ask("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1", creditLimit: 50_000),
                                     as: BillingAccount.self)
                #expect(!account.blocked && account.creditLeft?.amount == 20_000)
                #expect(try services() == ["vps": "active", "mail": "closed"])
                // Blocked once (the first expense over the limit), unblocked once (the new limit).
                let events = try tap.collect(2, timeout: .seconds(5)) + tap.collect(1, timeout: .milliseconds(300))
                let reasons = try events.map { "\($0.type ?? "") " + (try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: $0.body).reason) }
                #expect(reasons == ["billing.account.blocked credit_limit", "billing.account.unblocked limit_raised"])
                let changes = try op.ask("billing.account.history", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingHistoryResult.self).changes
                #expect(changes.first?.field == "opened" && changes.contains { $0.field == "credit_limit" && $0.newValue == "50000" })
                #expect(changes.allSatisfy { $0.changedBy == DevelopmentUsers.operatorName })
                let list = try op.ask("billing.account.list", BillingAccountList(storeID: "s1", clientID: "c1"), as: BillingAccountListResult.self)
                #expect(list.accounts.map(\.accountID) == ["a1"] && list.accounts[0].turnoverYear.amount == 129_000)

                // Terms are listed, changed and removed by commands too; an inactive second account may
                // exist, and not be made active beside the active one.
                let fixed = try op.ask("billing.discount.update", BillingDiscountEdit(
                    storeID: "s1", discountID: discount.discountID, clientID: "c1", kind: .amount, amount: Money(amount: 300, currency: "RUB"),
                    startsAt: since, endsAt: Date().addingTimeInterval(86_400)), as: BillingDiscount.self)
                #expect(fixed.kind == .amount && fixed.amount?.amount == 300 && fixed.endsAt != nil)
                let terms = BillingTermsList(storeID: "s1", clientID: "c1")
                #expect(try op.ask("billing.discount.list", terms, as: BillingDiscountListResult.self).discounts == [fixed])
                _ = try op.ask("billing.discount.remove", BillingDiscountRemove(storeID: "s1", discountID: fixed.discountID), as: BillingDiscount.self)
                #expect(try op.ask("billing.discount.list", terms, as: BillingDiscountListResult.self).discounts.isEmpty)
                #expect(try op.ask("billing.rate.list", terms, as: BillingRateListResult.self).rates.count == 1)
                #expect(try op.ask("billing.tax_rule.list", terms, as: BillingTaxRuleListResult.self).rules.count == 1)
                _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting", accountID: "a1-old",
                                                                          active: false), as: BillingAccount.self)
                #expect(try op.refusal("billing.account.update", BillingAccountUpdate(storeID: "s1", accountID: "a1-old", active: true))?
                    .code == .conflict)

                // Rounding is half-even, once: 10 % of 1005 = 100.5 → 100, of 1015 = 101.5 → 102 (c2 has no terms).
                _ = try op.ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c2", providerID: "hosting", accountID: "a2",
                                                                          postpay: true), as: BillingAccount.self)
                let halves = try [1_005, 1_015].map { amount in
                    try op.ask("billing.expense.create", BillingExpenseCreate(
                        storeID: "s1", accountID: "a2", amount: Money(amount: Int64(amount), currency: "RUB"), date: Date(),
                        promotion: BillingPromotion(promotionID: "ten", kind: .percent, percent: "10")), as: BillingExpense.self).discount
                }
                #expect(halves == [100, 102])

                // The provider moves to euros: the rouble account keeps its history and takes no more.
                _ = try op.ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                                currency: "EUR", isDefault: true), as: BillingProvider.self)
                account = try op.ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingAccount.self)
                #expect(!account.available && account.balance.amount == -30_000)
                #expect(try op.refusal("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: "a1", amount: Money(amount: 1, currency: "RUB"), date: Date()))?.details.first?.problem == "unavailable")
            }
        }
    }
}
