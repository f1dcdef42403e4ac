import Contracts
import Foundation
import Messaging
import WorkerKit

/// A service's Worker running in the benchmark's process, optionally with a tap: the benchmark's
/// own queue on `crm.events` that receives what the service publishes under one routing key.
struct BenchWorker {
    let worker: Worker
    let tap: AMQPConnection?
    private let running: Task<Void, Error>

    /// Declares the topology (and the tap) first, so that nothing published after this is missed,
    /// then runs `beforeStart` (e.g. fills the queue), starts the worker and waits until it consumes.
    /// `databaseURL`: the service's tables on PostgreSQL instead of SQLite files in `dataDirectory`.
    static func start(_ definition: some WorkerDefinition, url: AMQPURL, dataDirectory: URL, databaseURL: String? = nil,
                      tapKey: String? = nil, beforeStart: () throws -> Void = {}) async throws -> BenchWorker {
        var config = WorkerConfig(
            amqpURL: url, dataDirectory: dataDirectory, schemasDirectory: SchemaRegistry.defaultDirectory(),
            access: DevelopmentUsers.policy(withAdmin: url.user))
        config.databaseURL = databaseURL
        let worker = try Worker(definition, config: config)
        var tap: AMQPConnection?
        if let tapKey {
            let connection = try AMQPConnection(url: url)
            try worker.topology.declare(on: connection)
            let queue = try connection.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
            try connection.bindQueue(queue, exchange: Exchanges.events, routingKey: tapKey)
            try connection.consume(queue: queue, noAck: true)
            tap = connection
        }
        try beforeStart()
        let running = Task { try await worker.run(signals: []) }
        while !worker.isReady { try await Task.sleep(for: .milliseconds(10)) }
        return BenchWorker(worker: worker, tap: tap, running: running)
    }

    /// Stops gracefully: the batch in hand finishes and the outbox is flushed.
    func stop() async {
        running.cancel()
        _ = try? await running.value
    }
}

/// What every benchmark run needs around its worker: the broker address, a vhost of its own and
/// a data folder, both removed afterwards.
struct BenchSetting {
    let vhost: BenchVhost
    let dataDirectory: URL

    init(name: String, logLevel: String = "warning") throws {
        JSONLogHandler.bootstrap(level: logLevel)
        let base = try AMQPURL(ProcessInfo.processInfo.environment["AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2f")
        vhost = try BenchVhost(base: base)
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-\(name)-\(UUID().uuidString)")
    }

    var url: AMQPURL { vhost.url }

    func remove() {
        vhost.delete()
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
