import ReliabilityService
import WorkerKit

// The definition needs the key that seals the provider signatures: no key, no start.
await WorkerMain.run(.reliability) { config in
    ReliabilityServiceDefinition(secrets: try config.requireSecrets(for: .reliability), outbound: config.outbound)
}
