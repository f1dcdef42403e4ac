import DedupeService
import WorkerKit

await WorkerMain.run(DedupeServiceDefinition())
