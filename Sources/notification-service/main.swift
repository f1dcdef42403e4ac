import NotificationService
import WorkerKit

await WorkerMain.run(NotificationServiceDefinition())
