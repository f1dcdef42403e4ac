import BillingService
import Contracts
import Foundation
import Messaging
import SQLStore
import WorkerKit

/// billing-service's handlers without the broker: the benchmark's commands in batches of 200
/// (the runtime's batch size) through `MessageProcessor`, one transaction each, as the consumer
/// runs them; to tell the cost of the work from the cost of the messaging.
enum BillingHandlerAlone {
    static func run(messages: Int, accounts: Int, dataDirectory: URL, databaseURL: String?) throws -> ScenarioResult {
        let definition = BillingServiceDefinition()
        let schema = try databaseURL.map(ScaleRun.freshSchema)
        defer { schema?.drop() }
        let storage = try ServiceStorage.open(definition, directory: dataDirectory.appendingPathComponent("alone"),
                                              databaseURL: schema?.url)
        try BillingBenchPlan.prepare(storage, accounts: accounts)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let service = definition.name.rawValue
        let topology = ServiceTopology(service: service, eventKeys: registry.eventTypes, commandKeys: registry.commandTypes,
                                       queryKeys: registry.queryTypes)
        let processor = MessageProcessor(service: service, registry: registry,
                                         schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                         topology: topology, maxBodyBytes: 1 << 20,
                                         access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "bench"))
        let deliveries = try BillingBenchPlan.messages(messages, accounts: accounts, user: DevelopmentUsers.adminName)
            .enumerated().map { n, typed in
                Delivery(message: typed.1, deliveryTag: UInt64(n + 1), redelivered: false, exchange: Exchanges.commands,
                         routingKey: typed.0)
            }
        var handled = 0
        let started = monotonicNanos()
        let cpuStarted = threadCPUNanos()
        for batch in stride(from: 0, to: messages, by: 200) {
            let slice = Array(deliveries[batch..<min(batch + 200, messages)])
            let outcomes = try storage.write { db in try processor.process(slice, in: db) }
            handled += outcomes.filter { if case .handled = $0 { true } else { false } }.count
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        let cpu = Double(threadCPUNanos() - cpuStarted) / 1e3 / Double(messages)
        if handled != messages { report("billing handlers alone: \(messages - handled) of \(messages) not handled") }
        // This thread's CPU time does not depend on what else runs on the machine: the figure to
        // compare between runs on a busy machine (1e6 / µs = msg/s on a free core).
        report(String(format: "billing handlers alone: %.0f µs of CPU per command (%.0f msg/s on a free core)", cpu, 1e6 / cpu))
        return ScenarioResult(name: databaseURL == nil ? "(-) handlers alone, no broker" : "(-) handlers alone on PostgreSQL",
                              count: messages, seconds: seconds, latencies: [])
    }
}

/// CPU time of the calling thread, in nanoseconds.
func threadCPUNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
