import Contracts
import Foundation
import SQLStore
import Logging
import Messaging
import ServiceLifecycle
import UnixSignals

/// One running service: its database, the consumer loop, the outbox relay and the health endpoint,
/// run as a `ServiceGroup` that stops them in order on SIGTERM/SIGINT: the consumer first (its
/// batch in hand finishes), then the relay (the outbox is flushed), then the endpoint.
public final class Worker: Sendable {
    public let name: ServiceName
    public let storage: SQLStorage
    public let metrics: WorkerMetrics
    public let topology: ServiceTopology
    public let access: AccessControl
    /// One, or `config.consumers` competing loops on PostgreSQL.
    let consumers: [ConsumerLoop]
    let relay: OutboxRelay
    let effects: EffectRunner
    let timers: TimerRunner?
    /// SQLite only: PostgreSQL checkpoints itself.
    let checkpointer: WALCheckpointer?
    let health: HealthServer?
    let logger: Logger
    /// Held while the worker exists: a second process on the same SQLite folder is refused at start.
    let folderLock: DataFolderLock?

    public init(_ definition: some WorkerDefinition, config: WorkerConfig, logger: Logger? = nil) throws {
        name = definition.name
        let logger = logger ?? Logger(label: definition.name.rawValue)
        self.logger = logger
        // Replicas share a PostgreSQL database; an SQLite folder belongs to one process.
        folderLock = config.databaseURL == nil
            ? try DataFolderLock(directory: config.dataDirectory, service: definition.name.rawValue) : nil
        storage = try ServiceStorage.open(definition, directory: config.dataDirectory, databaseURL: config.databaseURL,
                                          automaticCheckpoints: false)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        StatusHandler.register(in: &registry, service: name, startedAt: Date())
        OutboxParkedHandler.register(in: &registry, service: name)
        let schemas = try SchemaRegistry(directory: config.schemasDirectory)
        // Contracts first: a type without a schema is a programming error, found at start.
        let missing = registry.types.filter { !schemas.types.contains($0) }
        guard missing.isEmpty else { throw WorkerError.missingSchemas(missing) }
        var effectRegistry = EffectRegistry()
        definition.registerEffects(&effectRegistry)
        let unhandled = effectRegistry.completionTypes.filter { !registry.types.contains($0) }
        guard unhandled.isEmpty else { throw WorkerError.unhandledEffectResults(unhandled) }
        topology = ServiceTopology(service: name.rawValue, eventKeys: registry.eventTypes,
                                   commandKeys: registry.commandTypes, queryKeys: registry.queryTypes,
                                   retryDelays: config.retryDelays, replicated: config.replicatedQueues,
                                   deadLetterBounds: config.deadLetterBounds)
        metrics = WorkerMetrics(service: name.rawValue)
        access = AccessControl(policy: config.access, serviceUser: config.amqpURL.user, file: config.accessFile)
        let processor = MessageProcessor(service: name.rawValue, registry: registry, schemas: schemas,
                                         topology: topology, maxBodyBytes: config.maxBodyBytes, access: access)
        let wakeup = DispatchSemaphore(value: 0)
        effects = EffectRunner(storage: storage, registry: effectRegistry, settings: config.effects,
                               outbound: config.outbound, workQueue: topology.workQueue, retention: config.inboxRetention,
                               relayWakeup: wakeup,
                               results: EffectResultHandling(processor: processor, serviceUser: config.amqpURL.user),
                               logger: logger)
        let (topology, storage, metrics, effectWakeup) = (topology, storage, metrics, effects.wakeup)
        consumers = (0..<max(1, config.consumers)).map { _ in
            ConsumerLoop(config: config, topology: topology, processor: processor, database: storage,
                         metrics: metrics, relayWakeup: wakeup, effectWakeup: effectWakeup, logger: logger)
        }
        relay = OutboxRelay(config: config, topology: topology, storage: storage, metrics: metrics,
                            wakeup: wakeup, logger: logger)
        timers = definition.timers.isEmpty ? nil
            : TimerRunner(timers: definition.timers, storage: storage, service: name.rawValue,
                          serviceUser: config.amqpURL.user, amqpURL: config.amqpURL, relayWakeup: wakeup,
                          logger: logger)
        checkpointer = try storage.sqlitePool.map { try WALCheckpointer(path: $0.path, logger: logger) }
        let consumers = consumers, relay = relay
        // Bound now: a taken port stops the service at start with a clear error.
        health = config.metricsPort > 0
            ? try HealthServer(port: config.metricsPort, metrics: metrics, logger: logger) {
                consumers.allSatisfy(\.isConsuming.isSet) && relay.isConnected.isSet
            }
            : nil
    }

    public var isReady: Bool { consumers.allSatisfy(\.isConsuming.isSet) && relay.isConnected.isSet }

    /// Runs until cancelled or until a shutdown signal; then stops gracefully.
    public func run(signals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        var services: [any Service] = []
        if let health { services.append(ThreadService(name: "health", run: health.run, stop: { health.stopRequested.set() })) }
        if let checkpointer {
            services.append(ThreadService(name: "wal-checkpoint", run: checkpointer.run, stop: { checkpointer.stopRequested.set() }))
        }
        services.append(ThreadService(name: "outbox-relay", run: relay.run, stop: { self.relay.stopRequested.set() }))
        // Stopped after the consumer and before the relay: results of calls under way still reach the outbox.
        services.append(ThreadService(name: "effect-runner", run: effects.run, stop: {
            self.effects.stopRequested.set()
            self.effects.wakeup.signal()
        }))
        if let timers {
            services.append(ThreadService(name: "timers", run: timers.run, stop: { timers.stopRequested.set() }))
        }
        for (n, consumer) in consumers.enumerated() {
            let name = consumers.count == 1 ? "consumer" : "consumer-\(n + 1)"
            services.append(ThreadService(name: name, run: consumer.run, stop: { consumer.stopRequested.set() }))
        }
        if !signals.isEmpty { services.append(PolicyReloader(access: access, logger: logger)) }
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: signals, logger: logger))
        try await group.run()
    }
}

public enum WorkerError: Error, CustomStringConvertible {
    case missingSchemas([String])
    case unhandledEffectResults([String])

    public var description: String {
        switch self {
        case .missingSchemas(let types): return "no schema in schemas/ for: \(types.joined(separator: ", "))"
        case .unhandledEffectResults(let types): return "no handler for the effect results: \(types.joined(separator: ", "))"
        }
    }
}

/// A blocking loop on its own thread, presented to ServiceLifecycle as a `Service`.
struct ThreadService: Service {
    let name: String
    let run: @Sendable () -> Void
    let stop: @Sendable () -> Void

    func run() async throws {
        try await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await runOnDedicatedThread(name: name, run)
            } onCancel: {
                stop()
            }
        } onGracefulShutdown: {
            stop()
        }
    }
}
