import Foundation
import Logging

/// The whole `main` of a service executable: read the configuration once, log in JSON, run.
public enum WorkerMain {
    public static func run(_ definition: some WorkerDefinition) async {
        let options = WorkerOptions.parseOrExit()
        do {
            let config = try options.makeConfig()
            JSONLogHandler.bootstrap(level: config.logLevel)
            let logger = Logger(label: definition.name.rawValue)
            logger.info("starting", metadata: [
                "version": "\(WorkerVersion.current)", "broker": "\(config.amqpURL)",
                "data_dir": "\(config.dataDirectory.path)", "prefetch": "\(config.prefetch)",
                "batch_size": "\(config.batchSize)",
            ])
            try await Worker(definition, config: config, logger: logger).run()
            logger.info("stopped")
        } catch {
            FileHandle.standardError.write(Data("\(definition.name.rawValue): \(error)\n".utf8))
            exit(1)
        }
    }
}
