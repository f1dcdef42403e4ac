import ReliabilityService
import WorkerKit

await WorkerMain.run(ReliabilityServiceDefinition())
