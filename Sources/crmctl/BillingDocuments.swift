import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl billing offers|invoices`: quotes and the documents billing-service prints.
extension Billing {
    struct Offers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a store's offers, create one (--create with --line), --accept/--reject/--pay one (--offer), or render it (--render).",
            discussion: "A line is 'description;quantity;unit price in minor units[;product type]', e.g. --line 'VPS;12;99000;vps'.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id (to list one client's, or to create).") var client: String?
        @Option(help: "The provider id (to create).") var provider: String?
        @Option(help: "The offer's currency, the account's (to create).") var currency = "RUB"
        @Option(help: "Its title (to create).") var title: String?
        @Option(help: "A line (repeat for several).") var line: [String] = []
        @Option(help: "The offer id.") var offer: String?
        @Flag(help: "Create an offer.") var create = false
        @Flag(help: "Accept --offer.") var accept = false
        @Flag(help: "Reject --offer.") var reject = false
        @Flag(help: "Pay --offer: an expense and its payment on the client's account.") var pay = false
        @Option(help: "Why it is rejected.") var reason: String?
        @Flag(help: "Render --offer as a document (see --format, --out).") var render = false
        @OptionGroup var output: DocumentOutput

        func run() throws {
            if create {
                guard let client, let provider, !line.isEmpty else { throw CLIError("--create needs --client, --provider and --line") }
                return try request(broker, "billing.offer.create", BillingOfferCreate(
                    storeID: store, clientID: client, providerID: provider, currency: currency, title: title,
                    lines: try line.map { try Self.line($0, currency: currency) }))
            }
            let actions = [(accept, "billing.offer.accept"), (reject, "billing.offer.reject"), (pay, "billing.offer.pay")].filter(\.0)
            if let action = actions.first {
                guard let offer else { throw CLIError("--offer is needed") }
                return try request(broker, action.1, BillingOfferAction(storeID: store, offerID: offer, reason: reason))
            }
            if render {
                guard let offer else { throw CLIError("--render needs --offer") }
                return try output.fetch(broker, "billing.offer.render", BillingDocumentRender(
                    storeID: store, offerID: offer, format: output.format, locale: output.locale))
            }
            try request(broker, "billing.offer.list", BillingOfferList(storeID: store, clientID: client))
        }

        static func line(_ text: String, currency: String) throws -> BillingOfferCreate.Line {
            let parts = text.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3, let quantity = Int(parts[1]), let price = Int64(parts[2]) else {
                throw CLIError("a line is 'description;quantity;unit price[;product type]': \(text)")
            }
            return .init(description: parts[0], productType: parts.count > 3 ? parts[3] : nil, quantity: quantity,
                         unitPrice: Money(amount: price, currency: currency))
        }
    }

    struct Invoices: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render the invoice of a payment or an offer (saved with --out), or --send it to the client.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The payment id.") var payment: String?
        @Option(help: "The offer id.") var offer: String?
        @Flag(help: "Issue it and publish billing.invoice.issued with the PDF (notification-service e-mails it).") var send = false
        @OptionGroup var output: DocumentOutput

        func run() throws {
            guard (payment == nil) != (offer == nil) else { throw CLIError("give exactly one of --payment and --offer") }
            if send {
                return try request(broker, "billing.invoice.send", BillingInvoiceSend(
                    storeID: store, paymentID: payment, offerID: offer, locale: output.locale))
            }
            try output.fetch(broker, "billing.invoice.render", BillingDocumentRender(
                storeID: store, paymentID: payment, offerID: offer, format: output.format, locale: output.locale))
        }
    }
}

/// How a rendered document is asked for and where it goes: `--out FILE` saves the PDF or HTML
/// itself; without it the reply is printed (the PDF as base64).
struct DocumentOutput: ParsableArguments {
    @Option(help: "pdf or html.") var format: BillingDocumentRender.Format = .pdf
    @Option(help: "ru or en.") var locale: BillingDocumentRender.Locale = .ru
    @Option(help: "Save the document to this file.") var out: String?

    func fetch(_ broker: BrokerOptions, _ type: String, _ body: BillingDocumentRender) throws {
        guard let out else { return try request(broker, type, body) }
        let client = try RequestClient(connection: try broker.connect())
        let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(
            type: type, body: try JSONCoding.encoder.encode(body), timeout: .seconds(broker.timeout)).body)
        guard let result = reply.result else {
            throw CLIError("\(type) failed: \(reply.error.map { "\($0.code.rawValue): \($0.message)" } ?? "no result")")
        }
        let document = try JSONCoding.decoder.decode(BillingDocument.self, from: JSONCoding.encoder.encode(result))
        let bytes: Data
        if let pdf = document.pdfBase64 {
            guard let decoded = Data(base64Encoded: pdf) else { throw CLIError("the reply's PDF is not base64") }
            bytes = decoded
        } else {
            bytes = Data((document.html ?? "").utf8)
        }
        try bytes.write(to: URL(fileURLWithPath: out))
        print("\(document.kind.rawValue) \(document.number): \(document.total.amount) \(document.total.currency), \(bytes.count) bytes -> \(out)")
    }
}

extension BillingDocumentRender.Format: ExpressibleByArgument {}
extension BillingDocumentRender.Locale: ExpressibleByArgument {}
