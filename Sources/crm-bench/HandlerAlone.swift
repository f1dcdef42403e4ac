import ClientService
import Contracts
import Foundation
import Messaging
import SQLStore
import WorkerKit

extension Scenarios {
    /// The handler alone, without the broker: the same batches of 200 through `MessageProcessor`
    /// and SQLite (or the PostgreSQL database `databaseURL`), to tell the cost of the work from
    /// the cost of the messaging.
    func handlerAlone(dataDirectory: URL, databaseURL: String? = nil) throws -> ScenarioResult {
        let definition = ClientServiceDefinition()
        let schema = try databaseURL.map(ScaleRun.freshSchema)
        defer { schema?.drop() }
        let database = try ServiceStorage.open(definition, directory: dataDirectory.appendingPathComponent("alone"),
                                               databaseURL: schema?.url)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: "client-service", eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        let processor = MessageProcessor(service: "client-service", registry: registry,
                                         schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                         topology: topology, maxBodyBytes: 1 << 20,
            access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "bench"))
        let deliveries = (0..<count).map { i in
            Delivery(message: BenchMessages.order(i, prefix: "h", messageID: "h-\(i)", userID: DevelopmentUsers.adminName), deliveryTag: UInt64(i + 1),
                     redelivered: false, exchange: Exchanges.events, routingKey: "order.placed")
        }
        let started = monotonicNanos()
        for batch in stride(from: 0, to: count, by: 200) {
            let slice = Array(deliveries[batch..<min(batch + 200, count)])
            _ = try database.write { db in try processor.process(slice, in: db) }
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        return ScenarioResult(name: databaseURL == nil ? "(-) handler alone, no broker" : "(-) handler alone on PostgreSQL", count: count, seconds: seconds, latencies: [])
    }
}
