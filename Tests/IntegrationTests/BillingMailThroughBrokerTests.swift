import BillingService
import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import Testing
import WorkerKit

extension BrokerSuite.BillingRulesThroughBrokerTests {
    /// billing's events reach the client by e-mail: client-service announces the card (with its
    /// address), billing-service blocks an account over its limit and sends a payment's invoice,
    /// notification-service mails both to a real SMTP server, the invoice with billing's PDF.
    @Test func aBlockedAccountAndAnIssuedInvoiceAreMailedToTheClient() async throws {
        let url = try TestBroker.makeVhost()
        defer { TestBroker.deleteVhost(url) }
        let sink = try SMTPSink()
        defer { sink.stop() }
        let notifications = NotificationServiceDefinition(secrets: .random(), outbound: .development, catalog: try TemplateCatalog.load())
        try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
            try await RunningWorker.with(notifications, url: url) { notification in
                try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
                    let client = try RequestClient(url: url, appID: "test")
                    func ask<R: Decodable>(_ type: String, _ value: some Encodable, as: R.Type) throws -> R {
                        try client.result(of: type, body: Self.body(value), as: R.self)
                    }
                    _ = try ask("notification.settings.update", NotificationSettingsUpdate(
                        storeID: "s1", senderAddress: "shop@shop.example", senderName: "Магазин", smtpURL: sink.url,
                        autoSends: ["welcome": false]), as: NotificationSettingsView.self)
                    _ = try ask("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: "hosting", name: "Хостинг",
                                                                                  currency: "RUB", isDefault: true), as: BillingProvider.self)
                    var fields = ClientFields()
                    (fields.firstName, fields.email, fields.language, fields.connectedProviders) = ("Анна", "anna@example.ru", "ru", ["hosting"])
                    let card = try ask("client.create", ClientCreate(storeID: "s1", fields: fields), as: ClientCard.self)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try billing.count("SELECT COUNT(*) FROM billing_client") == 1
                            && notification.count("SELECT COUNT(*) FROM notification_client") == 1
                    })

                    // Over the limit: blocked, and the client is told.
                    _ = try ask("billing.account.open", BillingAccountOpen(storeID: "s1", clientID: card.clientID, providerID: "hosting",
                                                                           accountID: "a1"), as: BillingAccount.self)
                    let expense = try ask("billing.expense.create", BillingExpenseCreate(
                        storeID: "s1", accountID: "a1", amount: Money(amount: 12_345, currency: "RUB"), date: Date()), as: BillingExpense.self)
                    let blockedMail = try #require(try sink.waitForMails(1, timeout: .seconds(15)).first)
                    #expect(blockedMail.rcptTos == ["anna@example.ru"] && blockedMail.mailFrom == "shop@shop.example")

                    // Paid, and its invoice sent: the mail carries billing's PDF.
                    let payment = try ask("billing.payment.create", BillingPaymentCreate(storeID: "s1", accountID: "a1",
                                                                                         expenseIDs: [expense.expenseID]), as: BillingPayment.self)
                    _ = try ask("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: payment.paymentID), as: BillingPayment.self)
                    let sent = try ask("billing.invoice.send", BillingInvoiceSend(storeID: "s1", paymentID: payment.paymentID, locale: .ru),
                                       as: BillingInvoiceSent.self)
                    let mails = try sink.waitForMails(2, timeout: .seconds(15))
                    let invoiceMail = try #require(mails.count == 2 ? mails[1] : nil)
                    #expect(invoiceMail.rcptTos == ["anna@example.ru"])
                    #expect(invoiceMail.header("Subject") == "Счёт № \(sent.number) от Магазин")
                    let pdf = try #require(invoiceMail.parts.first { $0.contentType == "application/pdf" })
                    #expect(pdf.filename == sent.filename)
                    #expect(pdf.contentBase64.flatMap { Data(base64Encoded: $0) }?.starts(with: Data("%PDF-".utf8)) == true)
                    #expect(sent.total == Money(amount: 12_345, currency: "RUB"), "the ledger's amount")
                }
            }
        }
    }
}
