import Contracts

extension WorkerConfig {
    /// The key of a service that stores secrets; without one it must not start, rather than
    /// store them readable or fail at the first message.
    public func requireSecrets(for service: ServiceName) throws -> SecretBox {
        guard let secrets else { throw SecretBoxError.missingKey(service: service.rawValue) }
        return secrets
    }
}
