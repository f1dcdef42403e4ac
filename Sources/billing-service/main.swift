import BillingService
import Foundation
import WorkerKit

// WorkerMain's start, plus the overdue timer beside the worker (it needs the worker's storage).
let options = WorkerOptions.parseOrExit()
do {
    let config = try options.makeConfig()
    JSONLogHandler.bootstrap(level: config.logLevel)
    let worker = try Worker(BillingServiceDefinition(), config: config)
    let period = ProcessInfo.processInfo.environment["CRM_BILLING_OVERDUE_SECONDS"].flatMap(Int.init) ?? 60
    let timer = Task { await OverdueTimer.run(storage: worker.storage, every: .seconds(max(1, period))) }
    try await worker.run()
    timer.cancel()
} catch {
    FileHandle.standardError.write(Data("billing-service: \(error)\n".utf8))
    exit(1)
}
