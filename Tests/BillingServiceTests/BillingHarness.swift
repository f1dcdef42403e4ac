import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
@testable import WorkerKit
import Testing

/// billing-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL schema),
/// without a broker: messages go in through the MessageProcessor as the broker hands them over,
/// replies and events are read back from the outbox.
struct BillingHarness {
    let storage: SQLStorage
    let processor: MessageProcessor
    private var sequence = 0

    static let service = "billing-service"

    init(engine: TestEngine = .sqlite) throws {
        let definition = BillingServiceDefinition()
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: Self.service, eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: Self.service, registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: Self.service))
    }

    @discardableResult
    mutating func send(_ type: String, _ body: Data, messageID: String? = nil, user: String? = nil) throws -> MessageProcessor.Outcome {
        sequence += 1
        let id = messageID ?? "m-\(sequence)-\(UUID().uuidString)"
        let message = AMQPMessage(body: body, messageID: id, type: type, replyTo: "replies", userID: user ?? DevelopmentUsers.sender(of: type))
        let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.commands, routingKey: type)
        return try storage.write { db in try processor.process([delivery], in: db) }[0]
    }

    /// Sends a command or query and decodes the reply it gets.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, user: String? = nil) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, try JSONCoding.encoder.encode(body), messageID: id, user: user)
        let reply = try storage.read { db in try OutboxMessage.all(db) }.first { $0.messageID == "reply-\(id)" }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply, "no reply to \(type)").body)
    }

    /// A successful reply's result; throws with the error otherwise.
    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type, user: String? = nil) throws -> Result {
        let reply = try ask(type, body, user: user)
        guard let result = reply.result else { throw HarnessError(description: "\(type) failed: \(String(describing: reply.error))") }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    /// The events published so far of `type`, oldest first.
    func events<Event: Decodable>(_ type: String, as: Event.Type) throws -> [Event] {
        try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == type }
            .map { try JSONCoding.decoder.decode(Event.self, from: $0.body) }
    }

    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try storage.read { db in try db.value(sql, arguments, as: Int.self) } ?? 0
    }

    /// `client.created` from client-service, with the card's names.
    mutating func clientCreated(store: String, clientID: String, firstName: String, lastName: String, version: Int = 1) throws {
        let body: [String: Any] = ["client": [
            "client_id": clientID, "store_id": store, "version": version, "deleted": false,
            "created_at": "2026-11-01T10:00:00.000Z", "updated_at": "2026-11-01T10:00:00.000Z", "kind": "person",
            "first_name": firstName, "last_name": lastName, "extra_phones": [], "connected_providers": [],
        ]]
        let outcome = try send("client.created", try JSONSerialization.data(withJSONObject: body))
        guard case .handled = outcome else { throw HarnessError(description: "client.created: \(outcome)") }
    }
}

struct HarnessError: Error, CustomStringConvertible { let description: String }
