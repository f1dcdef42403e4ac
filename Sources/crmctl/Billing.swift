import ArgumentParser
import Contracts
import Foundation

/// `crmctl billing providers|accounts|expenses|payments|offers|invoices`: billing-service's accounts and ledger
/// for operators. Amounts are minor units (kopecks, cents).
struct Billing: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Providers, personal accounts, expenses and payments.",
        subcommands: [Providers.self, Accounts.self, Expenses.self, Payments.self, Offers.self, Invoices.self])

    struct Providers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a store's providers, or create/replace one with --id.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The provider id to create or replace.") var id: String?
        @Option(help: "Its name.") var name: String?
        @Option(help: "Its currency (ISO 4217).") var currency: String?
        @Flag(help: "Bill the store's shop orders with it.") var `default` = false

        func run() throws {
            guard let id else { return try request(broker, "billing.provider.list", BillingProviderList(storeID: store)) }
            guard let name, let currency else { throw CLIError("--id needs --name and --currency") }
            try request(broker, "billing.provider.upsert", BillingProviderUpsert(
                storeID: store, providerID: id, name: name, currency: currency, isDefault: `default` ? true : nil))
        }
    }

    struct Accounts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A client's accounts (--client), one account (--account, --history), or open one (--open).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String?
        @Option(help: "The account id.") var account: String?
        @Flag(help: "Open an account for --client with --provider.") var open = false
        @Option(help: "The provider to open it with.") var provider: String?
        @Option(help: "How far below zero the balance may go, in minor units.") var creditLimit: Int64?
        @Flag(help: "No limit: the client pays afterwards.") var postpay = false
        @Flag(help: "Show the account's changes: who, what, when.") var history = false

        func run() throws {
            if open {
                guard let client, let provider else { throw CLIError("--open needs --client and --provider") }
                return try request(broker, "billing.account.open", BillingAccountOpen(
                    storeID: store, clientID: client, providerID: provider, accountID: account, postpay: postpay ? true : nil,
                    creditLimit: creditLimit))
            }
            if let account {
                return try request(broker, history ? "billing.account.history" : "billing.account.get",
                                   BillingAccountRef(storeID: store, accountID: account))
            }
            guard let client else { throw CLIError("give --client or --account") }
            try request(broker, "billing.account.list", BillingAccountList(storeID: store, clientID: client))
        }
    }

    struct Expenses: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an expense on an account, or delete one (--delete).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The account id.") var account: String?
        @Option(help: "The amount in minor units.") var amount: Int64?
        @Option(help: "Its currency.") var currency = "RUB"
        @Option(help: "What it is for.") var description: String?
        @Option(help: "The expense id (to choose one, or with --delete).") var expense: String?
        @Flag(help: "Delete --expense (only while unpaid).") var delete = false
        @Option(help: "A promotion the expense comes under (its id; with --promotion-percent or --promotion-amount).") var promotion: String?
        @Option(help: "The promotion's percent, e.g. 10 (it counts only when no personal discount applies).") var promotionPercent: String?
        @Option(help: "The promotion's fixed amount off, in minor units of --currency.") var promotionAmount: Int64?

        func run() throws {
            if delete {
                guard let expense else { throw CLIError("--delete needs --expense") }
                return try request(broker, "billing.expense.delete", BillingExpenseRef(storeID: store, expenseID: expense))
            }
            guard let account, let amount else { throw CLIError("give --account and --amount") }
            try request(broker, "billing.expense.create", BillingExpenseCreate(
                storeID: store, accountID: account, expenseID: expense, amount: Money(amount: amount, currency: currency),
                description: description, date: Date(), promotion: try promotionGiven()))
        }

        private func promotionGiven() throws -> BillingPromotion? {
            guard let promotion else {
                guard promotionPercent == nil, promotionAmount == nil else { throw CLIError("--promotion-percent/--promotion-amount need --promotion") }
                return nil
            }
            if let promotionPercent { return BillingPromotion(promotionID: promotion, kind: .percent, percent: promotionPercent) }
            guard let promotionAmount else { throw CLIError("--promotion needs --promotion-percent or --promotion-amount") }
            return BillingPromotion(promotionID: promotion, kind: .amount, amount: Money(amount: promotionAmount, currency: currency))
        }
    }

    struct Payments: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a payment for expenses (--account, --expense ...), or --credit/--delete/--allocation/--history one (--payment).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The account to make a payment on.") var account: String?
        @Option(help: "An expense it pays (repeat for several).") var expense: [String] = []
        @Option(help: "The amount in minor units (default: what the expenses owe).") var amount: Int64?
        @Option(help: "Its currency.") var currency = "RUB"
        @Option(help: "The payment id.") var payment: String?
        @Flag(help: "Credit --payment to its account (it was paid).") var credit = false
        @Flag(help: "Delete --payment (only while unpaid).") var delete = false
        @Flag(help: "Show how --payment is allocated over expenses.") var allocation = false
        @Flag(help: "Show --payment's changes.") var history = false

        func run() throws {
            let actions = [(credit, "billing.payment.credit"), (delete, "billing.payment.delete"),
                           (allocation, "billing.payment.allocation"), (history, "billing.payment.history")].filter { $0.0 }
            if let action = actions.first {
                guard let payment else { throw CLIError("--payment is needed") }
                return try request(broker, action.1, BillingPaymentRef(storeID: store, paymentID: payment))
            }
            guard let account else { throw CLIError("give --account (and --expense) to make a payment") }
            try request(broker, "billing.payment.create", BillingPaymentCreate(
                storeID: store, accountID: account, paymentID: payment, expenseIDs: expense,
                amount: amount.map { Money(amount: $0, currency: currency) }))
        }
    }
}
