import ClientService
import WorkerKit

await WorkerMain.run(ClientServiceDefinition())
