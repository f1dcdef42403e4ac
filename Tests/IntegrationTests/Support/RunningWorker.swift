import Contracts
import Foundation
import Logging
import Messaging
import SQLStore
import WorkerKit

/// A service's Worker running in this test process against the real broker, with its SQLite
/// file in a temporary folder, or its PostgreSQL schema (`TestDatabase`).
final class RunningWorker: @unchecked Sendable {
    let worker: Worker
    let dataDirectory: URL
    private var task: Task<Void, Error>?

    /// By default the worker logs in as the test user, an admin in its policy; `as` logs it in as
    /// a development user instead (its service's own), with `policy` or the development one.
    init(_ definition: some WorkerDefinition, url: AMQPURL, as user: String? = nil, policy: AccessPolicy? = nil,
         dataDirectory: URL? = nil,
         maxBodyBytes: Int = 1 << 20, retryDelays: [Duration] = [.milliseconds(200), .milliseconds(400)],
         effects: EffectSettings = EffectSettings(retryBase: .milliseconds(100), retryMax: .seconds(1)),
         logger: Logger? = nil, configure: (inout WorkerConfig) -> Void = { _ in }) throws {
        let url = try user.map { try TestBroker.url(url, as: $0) } ?? url
        self.dataDirectory = dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("crm-it-\(UUID().uuidString)")
        var config = WorkerConfig(
            amqpURL: url, dataDirectory: self.dataDirectory, schemasDirectory: SchemaRegistry.defaultDirectory(),
            access: policy ?? (user == nil ? DevelopmentUsers.policy(withAdmin: url.user) : DevelopmentUsers.policy),
            prefetch: 300, batchSize: 100, maxBodyBytes: maxBodyBytes, retryDelays: retryDelays,
            // The stand-ins of external services listen on 127.0.0.1, as in the development set-up.
            outbound: .development, effects: effects)
        config.databaseURL = try TestDatabase.url(for: self.dataDirectory)
        configure(&config)
        worker = try Worker(definition, config: config, logger: logger)
        let worker = worker
        task = Task { try await worker.run(signals: []) }
    }

    /// Waits until the worker consumes and its relay is connected.
    func waitUntilReady(timeout: Duration = .seconds(60)) throws {
        guard eventually(timeout: timeout, { worker.isReady }) else { throw TestFailure("worker never became ready") }
    }

    /// Stops gracefully: the batch in hand finishes and the outbox is flushed.
    func stop() async {
        task?.cancel()
        _ = try? await task?.value
        task = nil
    }

    func count(_ sql: String) throws -> Int {
        try worker.storage.read { db in try db.value(sql, as: Int.self) ?? 0 }
    }
}

extension RunningWorker {
    /// Runs `body` with a ready worker and stops the worker afterwards, also when `body` throws,
    /// so that a failed test leaves no worker reconnecting to a deleted vhost.
    static func with<T>(_ definition: some WorkerDefinition, url: AMQPURL, as user: String? = nil, policy: AccessPolicy? = nil,
                        effects: EffectSettings = EffectSettings(retryBase: .milliseconds(100), retryMax: .seconds(1)),
                        logger: Logger? = nil, configure: (inout WorkerConfig) -> Void = { _ in },
                        _ body: (RunningWorker) async throws -> T) async throws -> T {
        let worker = try RunningWorker(definition, url: url, as: user, policy: policy, effects: effects, logger: logger,
                                       configure: configure)
        do {
            try worker.waitUntilReady()
            let result = try await body(worker)
            await worker.stop()
            return result
        } catch {
            await worker.stop()
            throw error
        }
    }
}
