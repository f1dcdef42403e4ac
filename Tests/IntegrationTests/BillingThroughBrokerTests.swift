import BillingService
import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// billing-service with client-service through the broker: the card's connected providers come
    /// from client-service's events, crossing the limit blocks (and says so on `crm.events`),
    /// paying up unblocks, a shop order is billed once whatever the order of its events, a merge
    /// joins the ledgers, and the overdue timer's check blocks an account left unpaid.
    @Suite struct BillingThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        @Test func accountsLedgerBlockingOrdersAndMergesThroughTheBroker() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
                    let tap = try EventTap(url: url, keys: ["billing.account.blocked", "billing.account.unblocked"])
                    let client = try RequestClient(url: url, appID: "test")
                    func ask<R: Decodable>(_ type: String, _ value: some Encodable, as: R.Type) throws -> R {
                        try client.result(of: type, body: Self.body(value), as: R.self)
                    }
                    _ = try ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                                  currency: "RUB", isDefault: true), as: BillingProvider.self)
                    var fields = ClientFields()
                    (fields.firstName, fields.phone, fields.connectedProviders) = ("Анна", "+79120000001", ["hosting"])
                    let anna = try ask("client.create", ClientCreate(storeID: "s1", fields: fields), as: ClientCard.self)
                    (fields.firstName, fields.phone) = ("Борис", "+79120000002")
                    let boris = try ask("client.create", ClientCreate(storeID: "s1", fields: fields), as: ClientCard.self)
                    #expect(try eventually(timeout: .seconds(10)) { try billing.count("SELECT COUNT(*) FROM billing_client") == 2 })

                    let account = try ask("billing.account.open", BillingAccountOpen(
                        storeID: "s1", clientID: anna.clientID, providerID: "hosting", accountID: "a-anna", creditLimit: 1_000),
                                          as: BillingAccount.self)
                    #expect(account.createdBy == url.user)
                    _ = try ask("billing.service.add", BillingServiceAdd(storeID: "s1", accountID: "a-anna", name: "VPS",
                                                                         price: Money(amount: 500, currency: "RUB")), as: BillingServiceView.self)
                    let expense = try ask("billing.expense.create", BillingExpenseCreate(
                        storeID: "s1", accountID: "a-anna", amount: Money(amount: 1_500, currency: "RUB"), date: Date()), as: BillingExpense.self)
                    let blocked = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                    #expect(blocked.type == "billing.account.blocked")
                    let event = try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: blocked.body)
                    #expect(event.reason == "credit_limit" && event.servicesChanged == 1 && event.balance.amount == -1_500)

                    let payment = try ask("billing.payment.create", BillingPaymentCreate(
                        storeID: "s1", accountID: "a-anna", expenseIDs: [expense.expenseID]), as: BillingPayment.self)
                    _ = try ask("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: payment.paymentID), as: BillingPayment.self)
                    let unblocked = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                    #expect(unblocked.type == "billing.account.unblocked")
                    #expect(try ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a-anna"), as: BillingAccount.self)
                        .servicesActive == 1)

                    // A shop order: its paid status first, then its attribution, each published twice.
                    let publisher = try ConfirmedPublisher(url: url)
                    let paid = OrderStatusChanged(storeID: "s1", orderID: "o-1", status: .paid, changedAt: Date())
                    let attributed = OrderAttributed(storeID: "s1", orderID: "o-1", clientID: anna.clientID, placedAt: Date(),
                                                     total: Money(amount: 700, currency: "RUB"), paymentMethod: .card, matchedBy: .phone)
                    try publisher.publish((0..<2).flatMap { n in [
                        AMQPMessage(body: Self.body(paid), messageID: "paid-\(n)", type: "order.status_changed"),
                        AMQPMessage(body: Self.body(attributed), messageID: "attr-\(n)", type: "order.attributed"),
                    ] })
                    #expect(try eventually(timeout: .seconds(10)) {
                        try billing.count("SELECT COUNT(*) FROM billing_payment WHERE state = 'paid' AND order_id = 'o-1'") == 1
                    })
                    let after = try ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a-anna"), as: BillingAccount.self)
                    #expect(after.balance.amount == 0 && after.turnoverYear.amount == 2_200)

                    // Boris's account joins Anna's when client-service merges him into her.
                    _ = try ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: boris.clientID, providerID: "hosting",
                                                                           accountID: "a-boris", postpay: true), as: BillingAccount.self)
                    _ = try ask("billing.expense.create", BillingExpenseCreate(
                        storeID: "s1", accountID: "a-boris", amount: Money(amount: 300, currency: "RUB"), date: Date()), as: BillingExpense.self)
                    _ = try client.request(type: "client.merge", body: Self.body(ClientMerge(storeID: "s1", survivorID: anna.clientID,
                                                                                             mergedIDs: [boris.clientID])))
                    #expect(try eventually(timeout: .seconds(10)) {
                        try billing.count("SELECT COUNT(*) FROM billing_account WHERE account_id = 'a-boris' AND joined_into = 'a-anna'") == 1
                    })
                    #expect(try ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a-anna"), as: BillingAccount.self)
                        .balance.amount == -300)
                    #expect(try tap.collect(1, timeout: .milliseconds(500)).isEmpty, "-300 is within Anna's limit: no event")
                }
            }
        }

        @Test func theOverdueTimerBlocksAnAccountLeftUnpaid() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            // The timer looks every 200 ms here (60 s by default).
            try await RunningWorker.with(BillingServiceDefinition(overdueEvery: .milliseconds(200)), url: url) { billing in
                let tap = try EventTap(url: url, keys: ["billing.account.blocked"])
                let client = try RequestClient(url: url, appID: "test")
                func ask<R: Decodable>(_ type: String, _ value: some Encodable, as: R.Type) throws -> R {
                    try client.result(of: type, body: Self.body(value), as: R.self)
                }
                _ = try ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Hosting",
                                                                              currency: "RUB"), as: BillingProvider.self)
                // The card arrives as client-service would announce a change (the test user is an admin).
                let card = try clientChangedEvent(id: "c1", providers: ["hosting"])
                try ConfirmedPublisher(url: url).publish([AMQPMessage(body: Self.body(card), messageID: "card-1",
                                                                      type: "client.updated", userID: url.user)])
                #expect(try eventually(timeout: .seconds(10)) { try billing.count("SELECT COUNT(*) FROM billing_client") == 1 })
                _ = try ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: "c1", providerID: "hosting", accountID: "a1",
                                                                       postpay: true, deferment: "days", defermentDays: 3, blockAfterDays: 5),
                            as: BillingAccount.self)
                let expense = try ask("billing.expense.create", BillingExpenseCreate(
                    storeID: "s1", accountID: "a1", amount: Money(amount: 900, currency: "RUB"), date: Date()), as: BillingExpense.self)
                _ = try ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: "a1", paymentID: "p1",
                                                                           expenseIDs: [expense.expenseID]), as: BillingPayment.self)
                #expect(try tap.collect(1, timeout: .seconds(1)).isEmpty, "not overdue yet: the timer blocks nothing")
                // Five days pass: the payment's deadline is moved back instead.
                try billing.worker.storage.write { db in
                    try db.execute("UPDATE billing_payment SET due_at = ?, block_at = ? WHERE payment_id = 'p1'",
                                   [Date().addingTimeInterval(-2 * 86_400), Date().addingTimeInterval(-1)])
                }
                let blocked = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                let event = try JSONCoding.decoder.decode(BillingAccountBlocking.self, from: blocked.body)
                #expect(event.reason == "overdue" && event.accountID == "a1" && event.servicesChanged == 0)
                let account = try ask("billing.account.get", BillingAccountRef(storeID: "s1", accountID: "a1"), as: BillingAccount.self)
                #expect(account.blocked && account.overdue.amount == 900)
                #expect(try tap.collect(1, timeout: .seconds(1)).isEmpty, "blocked once: later turns find nothing to do")
            }
        }
    }
}
