import ClientService
import CRMTestSupport
import Contracts
import Foundation
import Messaging
import SQLStore
@testable import WorkerKit

/// A MessageProcessor over a real database (a SQLite file in a temporary folder, or a fresh
/// schema of the test PostgreSQL), with no broker: deliveries are built by hand and the outcome
/// is read from the tables.
struct ProcessorHarness {
    let engine: TestEngine
    let storage: SQLStorage
    let processor: MessageProcessor
    let topology: ServiceTopology
    private var nextTag: UInt64 = 1

    init(engine: TestEngine = .sqlite, definition: some WorkerDefinition = ClientServiceDefinition(), maxBodyBytes: Int = 1 << 20,
         schemasDirectory: URL = SchemaRegistry.defaultDirectory(),
         extraHandlers: (inout HandlerRegistry) -> Void = { _ in }) throws {
        self.engine = engine
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        StatusHandler.register(in: &registry, service: definition.name, startedAt: Date())
        extraHandlers(&registry)
        topology = ServiceTopology(service: definition.name.rawValue, eventKeys: registry.eventTypes,
                                   commandKeys: registry.commandTypes, retryDelays: [.seconds(1), .seconds(2)])
        processor = MessageProcessor(service: definition.name.rawValue, registry: registry,
                                     schemas: try SchemaRegistry(directory: schemasDirectory),
                                     topology: topology, maxBodyBytes: maxBodyBytes,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: definition.name.rawValue))
    }

    mutating func process(_ message: AMQPMessage, routingKey: String? = nil) throws -> MessageProcessor.Outcome {
        try process(batch: [message], routingKey: routingKey)[0]
    }

    /// Several deliveries in one batch, as the consumer hands them over.
    mutating func process(batch messages: [AMQPMessage], routingKey: String? = nil,
                          bodySize: Int? = nil) throws -> [MessageProcessor.Outcome] {
        let deliveries = messages.map { message in
            defer { nextTag += 1 }
            var message = message
            // The broker stamps every message with its sender; here the harness plays the sender.
            if message.userID == nil { message.userID = DevelopmentUsers.sender(of: message.type ?? routingKey ?? "") }
            return Delivery(message: message, deliveryTag: nextTag, redelivered: false, exchange: Exchanges.events,
                            routingKey: routingKey ?? message.type ?? "", bodySize: bodySize)
        }
        return try storage.write { db in try processor.process(deliveries, in: db) }
    }

    func outbox() throws -> [OutboxMessage] {
        try storage.read { db in try OutboxMessage.all(db) }
    }

    func count(_ sql: String) throws -> Int {
        try storage.read { db in try db.value(sql, as: Int.self) ?? 0 }
    }
}

extension ProcessorHarness {
    /// Sends a command or query with a reply queue and decodes the reply from the outbox.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, as user: String = DevelopmentUsers.operatorName) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        _ = try process(AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: id, type: type,
                                    replyTo: "replies", appID: "crmctl", userID: user))
        let reply = try storage.read { db in try OutboxMessage.withMessageID(db, "reply-\(id)") }.first
        guard let reply else { throw HarnessError.noReply(type) }
        return try JSONCoding.decoder.decode(Reply.self, from: reply.body)
    }

    mutating func card<Body: Encodable>(_ type: String, _ body: Body) throws -> ClientCard {
        let reply = try ask(type, body)
        guard let result = reply.result else { throw HarnessError.failed(reply.error) }
        return try JSONCoding.decoder.decode(ClientCard.self, from: JSONCoding.encoder.encode(result))
    }
}

enum HarnessError: Error {
    case noReply(String)
    case failed(ErrorBody?)
}
