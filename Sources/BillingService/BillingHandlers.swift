import Contracts
import SQLStore
import WorkerKit

/// The message types of providers, accounts, the ledger and services, and their handlers.
enum BillingHandlers {
    static func register(_ registry: inout HandlerRegistry) {
        registry.command("billing.provider.upsert", BillingProviderUpsert.self, handle: ProviderHandlers.upsert)
        registry.query("billing.provider.get", BillingProviderRef.self, handle: ProviderHandlers.get)
        registry.query("billing.provider.list", BillingProviderList.self, handle: ProviderHandlers.list)
        registry.command("billing.account.open", BillingAccountOpen.self, handle: AccountHandlers.open)
        registry.command("billing.account.update", BillingAccountUpdate.self, handle: AccountHandlers.update)
        registry.query("billing.account.get", BillingAccountRef.self, handle: AccountHandlers.get)
        registry.query("billing.account.list", BillingAccountList.self, handle: AccountHandlers.list)
        registry.query("billing.account.history", BillingAccountRef.self, handle: AccountHandlers.history)
        registry.command("billing.expense.create", BillingExpenseCreate.self, handle: Expenses.create)
        registry.command("billing.expense.update", BillingExpenseUpdate.self, handle: Expenses.update)
        registry.command("billing.expense.delete", BillingExpenseRef.self, handle: Expenses.delete)
        registry.command("billing.payment.create", BillingPaymentCreate.self, handle: Payments.create)
        registry.command("billing.payment.update", BillingPaymentUpdate.self, handle: Payments.update)
        registry.command("billing.payment.delete", BillingPaymentRef.self, handle: Payments.delete)
        registry.command("billing.payment.credit", BillingPaymentRef.self, handle: Payments.credit)
        registry.query("billing.payment.allocation", BillingPaymentRef.self, handle: Payments.allocation)
        registry.query("billing.payment.history", BillingPaymentRef.self, handle: Payments.history)
        registry.command("billing.withdrawal.create", BillingWithdrawalCreate.self, handle: Withdrawals.create)
        registry.command("billing.service.add", BillingServiceAdd.self, handle: Services.add)
        registry.command("billing.service.update", BillingServiceUpdate.self, handle: Services.update)
        registry.query("billing.service.list", BillingServiceList.self, handle: Services.list)
        registry.command("billing.overdue.check", BillingOverdueCheck.self, handle: Blocking.checkOverdue)
        // Shop orders, and the copy of the client cards.
        registry.event("order.attributed", OrderAttributed.self, handle: OrderBilling.attributed)
        registry.event("order.status_changed", OrderStatusChanged.self, handle: OrderBilling.statusChanged)
        registry.event("client.created", ClientChanged.self, handle: BillingClientCopy.changed)
        registry.event("client.updated", ClientChanged.self, handle: BillingClientCopy.changed)
        registry.event("client.deleted", ClientLifecycle.self) { db, event, _ in try BillingClientCopy.lifecycle(db, event, deleted: true) }
        registry.event("client.restored", ClientLifecycle.self) { db, event, _ in try BillingClientCopy.lifecycle(db, event, deleted: false) }
        registry.event("client.merged", ClientMerged.self, handle: AccountMerges.merged)
        registry.event("client.unmerged", ClientUnmerged.self, handle: AccountMerges.unmerged)
    }
}
