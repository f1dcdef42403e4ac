import BillingService
import WorkerKit

await WorkerMain.run(BillingServiceDefinition())
