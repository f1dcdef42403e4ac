import ClientService
import CRMTestSupport
import Contracts
import Foundation
import GRDB
import Messaging
@testable import WorkerKit

/// A MessageProcessor over a real SQLite file in a temporary folder, with no broker:
/// deliveries are built by hand and the outcome is read from the tables.
struct ProcessorHarness {
    let database: DatabasePool
    let processor: MessageProcessor
    let topology: ServiceTopology
    private var nextTag: UInt64 = 1

    init(definition: some WorkerDefinition = ClientServiceDefinition(), maxBodyBytes: Int = 1 << 20,
         extraHandlers: (inout HandlerRegistry) -> Void = { _ in }) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-test-\(UUID().uuidString)")
        database = try ServiceDatabase.open(directory: folder, service: definition.name.rawValue,
                                            migrations: definition.registerMigrations)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        StatusHandler.register(in: &registry, service: definition.name, startedAt: Date())
        extraHandlers(&registry)
        topology = ServiceTopology(service: definition.name.rawValue, eventKeys: registry.eventTypes,
                                   commandKeys: registry.commandTypes, retryDelays: [.seconds(1), .seconds(2)])
        processor = MessageProcessor(service: definition.name.rawValue, registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: maxBodyBytes)
    }

    mutating func process(_ message: AMQPMessage, routingKey: String? = nil) throws -> MessageProcessor.Outcome {
        let delivery = Delivery(message: message, deliveryTag: nextTag, redelivered: false,
                                exchange: Exchanges.events, routingKey: routingKey ?? message.type ?? "")
        nextTag += 1
        return try database.write { db in try processor.process([delivery], in: db) }[0]
    }

    func outbox() throws -> [OutboxMessage] {
        try database.read { db in try OutboxMessage.order(Column("id")).fetchAll(db) }
    }

    func count(_ sql: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
