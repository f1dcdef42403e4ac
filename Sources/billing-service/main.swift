import BillingService
import Foundation
import WorkerKit

// The overdue timer's period is the only setting of billing's own (`CRM_BILLING_OVERDUE_SECONDS`, 60 by default).
let seconds = ProcessInfo.processInfo.environment["CRM_BILLING_OVERDUE_SECONDS"].flatMap(Int.init) ?? 60
await WorkerMain.run(BillingServiceDefinition(overdueEvery: .seconds(max(1, seconds))))
