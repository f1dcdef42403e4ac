import Contracts
import SQLStore
import WorkerKit

/// The message types of accounts, the ledger and services, and their handlers.
enum BillingHandlers {
    static func register(_ registry: inout HandlerRegistry) {
    }
}
