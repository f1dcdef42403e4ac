import Contracts
import Foundation
import Logging

/// The whole `main` of a service executable: read the configuration once, log in JSON, run.
public enum WorkerMain {
    public static func run(_ definition: some WorkerDefinition) async {
        await run(definition.name) { _ in definition }
    }

    /// For a service whose definition needs the configuration (its secrets key) to be made.
    public static func run<Definition: WorkerDefinition>(
        _ name: ServiceName, _ makeDefinition: (WorkerConfig) throws -> Definition
    ) async {
        let options = WorkerOptions.parseOrExit()
        do {
            let config = try options.makeConfig()
            let definition = try makeDefinition(config)
            JSONLogHandler.bootstrap(level: config.logLevel)
            let logger = Logger(label: definition.name.rawValue)
            logger.info("starting", metadata: [
                "version": "\(WorkerVersion.current)", "broker": "\(config.amqpURL)",
                "storage": "\(config.storageDescription)", "prefetch": "\(config.prefetch)",
                "batch_size": "\(config.batchSize)",
            ])
            try await Worker(definition, config: config, logger: logger).run()
            logger.info("stopped")
        } catch {
            FileHandle.standardError.write(Data("\(name.rawValue): \(error)\n".utf8))
            exit(1)
        }
    }
}
