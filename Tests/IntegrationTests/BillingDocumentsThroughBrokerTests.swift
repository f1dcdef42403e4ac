import BillingService
import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// billing's documents through the broker with the operators' tool: client-service's card gives
    /// the Cyrillic name, `crmctl billing offers` makes a quote, `crmctl billing invoices --out`
    /// saves its invoice as a PDF that poppler reads back, and `--send` publishes it.
    @Suite struct BillingDocumentsThroughBrokerTests {
        static func body<T: Encodable>(_ value: T) -> Data { try! JSONCoding.encoder.encode(value) }

        /// The `result` object of the JSON reply crmctl printed.
        static func result(_ output: String) throws -> [String: Any] {
            let start = try #require(output.firstIndex(of: "{"))
            let reply = try #require(try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [String: Any])
            return try #require(reply["result"] as? [String: Any], "\(output)")
        }

        @Test func anOfferInvoiceAsAPDFFileAndAnEvent() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                try await RunningWorker.with(BillingServiceDefinition(), url: url) { billing in
                    let tap = try EventTap(url: url, keys: ["billing.invoice.issued"])
                    let client = try RequestClient(url: url, appID: "test")
                    var fields = ClientFields()
                    (fields.firstName, fields.lastName, fields.connectedProviders) = ("Анна", "Петрова", ["hosting"])
                    let card = try client.result(of: "client.create", body: Self.body(ClientCreate(storeID: "s1", fields: fields)), as: ClientCard.self)
                    #expect(try eventually(timeout: .seconds(10)) {
                        try billing.count("SELECT COUNT(*) FROM billing_client_name WHERE name = 'Петрова Анна'") == 1
                    }, "billing keeps the name from client.created")

                    let provider = try OperatorToolTests.crmctl(url, "billing", "providers", "--store", "s1", "--id", "hosting",
                                                                "--name", "Хостинг", "--currency", "RUB", "--default")
                    #expect(provider.status == 0, "\(provider.output)")
                    let made = try OperatorToolTests.crmctl(url, "billing", "offers", "--store", "s1", "--create", "--client", card.clientID,
                                                            "--provider", "hosting", "--title", "Хостинг на год",
                                                            "--line", "Виртуальный сервер, 12 месяцев;12;99000;vps", "--line", "Настройка;1;250000")
                    #expect(made.status == 0, "\(made.output)")
                    let offerID = try #require(try Self.result(made.output)["offer_id"] as? String)

                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-invoice-\(UUID().uuidString).pdf")
                    let saved = try OperatorToolTests.crmctl(url, "billing", "invoices", "--store", "s1", "--offer", offerID, "--out", file.path)
                    #expect(saved.status == 0 && saved.output.contains("invoice INV-000001: 1438000 RUB"), "\(saved.output)")
                    let text = try runProgram(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-enc", "UTF-8", file.path, "-"]).output
                    for printed in ["Счёт № INV-000001", "Петрова Анна", "Хостинг", "Виртуальный сервер", "Настройка", "11 880,00 ₽", "14 380,00 ₽"] {
                        #expect(text.contains(printed), "\(printed) not in: \(text)")
                    }

                    // Sent only with an account to name in the event.
                    let early = try OperatorToolTests.crmctl(url, "billing", "invoices", "--store", "s1", "--offer", offerID, "--send")
                    #expect(early.status == 1 && early.output.contains("conflict"), "\(early.output)")
                    let opened = try OperatorToolTests.crmctl(url, "billing", "accounts", "--store", "s1", "--open", "--client", card.clientID,
                                                              "--provider", "hosting", "--postpay")
                    #expect(opened.status == 0, "\(opened.output)")
                    // Expenses and payments with the tool too: 25000 under a 10 % promotion, paid and credited.
                    let accountID = try #require(try Self.result(opened.output)["account_id"] as? String)
                    let spent = try OperatorToolTests.crmctl(url, "billing", "expenses", "--store", "s1", "--account", accountID,
                                                             "--amount", "25000", "--description", "VPS, май",
                                                             "--promotion", "spring", "--promotion-percent", "10")
                    let expense = try Self.result(spent.output)
                    #expect(spent.status == 0 && expense["discount"] as? Int == 2_500 && expense["promotion_id"] as? String == "spring",
                            "\(spent.output)")
                    let madePayment = try OperatorToolTests.crmctl(url, "billing", "payments", "--store", "s1", "--account", accountID,
                                                            "--expense", try #require(expense["expense_id"] as? String))
                    let paymentID = try #require(try Self.result(madePayment.output)["payment_id"] as? String)
                    let credited = try OperatorToolTests.crmctl(url, "billing", "payments", "--store", "s1", "--payment", paymentID, "--credit")
                    #expect(try credited.status == 0 && Self.result(credited.output)["state"] as? String == "paid", "\(credited.output)")
                    let shown = try OperatorToolTests.crmctl(url, "billing", "accounts", "--store", "s1", "--account", accountID)
                    let balance = try Self.result(shown.output)["balance"] as? [String: Any]
                    #expect(balance?["amount"] as? Int == 0, "\(shown.output)")
                    let sent = try OperatorToolTests.crmctl(url, "billing", "invoices", "--store", "s1", "--offer", offerID, "--send", "--locale", "en")
                    #expect(sent.status == 0, "\(sent.output)")
                    let event = try #require(try tap.collect(1, timeout: .seconds(10)).first)
                    let issued = try JSONCoding.decoder.decode(BillingInvoiceIssued.self, from: event.body)
                    #expect(issued.number == "INV-000001" && issued.total == Money(amount: 1_438_000, currency: "RUB") && issued.clientID == card.clientID)
                    #expect(Data(base64Encoded: issued.pdfBase64)?.starts(with: Data("%PDF-".utf8)) == true)
                }
            }
        }
    }
}
