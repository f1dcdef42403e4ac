import Contracts
import GRDB
import SQLStore
import WorkerKit

/// billing-service: providers, personal accounts with a ledger, expenses, payments, services and
/// blocking (and, from billing-terms, discounts, rates, taxes, offers, invoices). The runtime adds
/// the `billing-service.status` query, the inbox and outbox, and the broker topology.
public struct BillingServiceDefinition: WorkerDefinition {
    let terms = BillingTerms()
    let overdueEvery: Duration

    /// `overdueEvery`: how often the overdue timer looks for payments past their deadline
    /// (`CRM_BILLING_OVERDUE_SECONDS` in the executable; shorter in tests).
    public init(overdueEvery: Duration = .seconds(60)) {
        self.overdueEvery = overdueEvery
    }

    public var name: ServiceName { .billing }

    public func registerMigrations(_ migrator: inout DatabaseMigrator) {
        BillingMigrations.register(&migrator)
        // After the core's steps: the terms and documents.
        BillingTermsMigrations.sqlite(&migrator)
    }

    public var timers: [WorkerTimer] { [OverdueSweep.timer(every: overdueEvery)] }

    public var postgresMigrations: [SQLMigrationStep] {
        BillingPostgresMigrations.steps + BillingTermsMigrations.postgres
    }

    public func registerHandlers(_ registry: inout HandlerRegistry) {
        BillingHandlers.register(&registry)
        // Last: the terms' event handlers follow the core's of the same type (`alsoOnEvent`).
        terms.registerHandlers(&registry)
    }
}
