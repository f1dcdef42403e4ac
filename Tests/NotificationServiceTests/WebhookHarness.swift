import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import SQLStore
@testable import WorkerKit
import Testing

/// notification-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL
/// schema), without a broker: messages go in through the MessageProcessor, replies are read back
/// from the outbox. The service's real EffectRunner makes the recorded POSTs when asked
/// (`settle`), and their results go back to the processor as the broker would hand them over.
struct WebhookHarness {
    let storage: SQLStorage
    let processor: MessageProcessor
    let effects: EffectRunner
    private var sequence = 0

    static let workQueue = "notification-service"

    init(engine: TestEngine = .sqlite, secrets: SecretBox = .random(), outbound: OutboundPolicy = .development,
         effects settings: EffectSettings = EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100))) throws {
        let definition = NotificationServiceDefinition(secrets: secrets, outbound: outbound, catalog: NotificationHarness.catalog)
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: Self.workQueue, eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: Self.workQueue, registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: Self.workQueue))
        var performers = EffectRegistry()
        definition.registerEffects(&performers)
        effects = EffectRunner(storage: storage, registry: performers, settings: settings, outbound: outbound,
                               workQueue: Self.workQueue)
    }

    /// Performs the due effects and hands their results to the processor until none is pending
    /// (retries included: they wait their backoff).
    func settle(timeout: Duration = .seconds(20)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try effects.performDue()
            let results = try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == Self.workQueue }
            for row in results {
                var message = row.amqpMessage(appID: Self.workQueue)
                message.userID = Self.workQueue
                let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: "", routingKey: Self.workQueue)
                _ = try storage.write { db in
                    try db.execute("DELETE FROM outbox WHERE id = ?", [row.id!])
                    return try processor.process([delivery], in: db)
                }
            }
            let pending = try count("SELECT COUNT(*) FROM effect WHERE state = 'pending'")
            if pending == 0, results.isEmpty { return }
            if results.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        }
        throw HarnessError(description: "effects still pending after \(timeout)")
    }

    /// A message as the broker hands it over, from `user` (by default one allowed to send `type` anywhere).
    func delivery(_ type: String, _ body: Data, messageID: String, user: String? = nil) -> Delivery {
        let message = AMQPMessage(body: body, messageID: messageID, type: type, replyTo: "replies",
                                  userID: user ?? DevelopmentUsers.sender(of: type))
        return Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.commands, routingKey: type)
    }

    @discardableResult
    mutating func send(_ type: String, _ body: Data, messageID: String? = nil, user: String? = nil) throws -> MessageProcessor.Outcome {
        sequence += 1
        let message = delivery(type, body, messageID: messageID ?? "m-\(sequence)-\(UUID().uuidString)", user: user)
        return try storage.write { db in try processor.process([message], in: db) }[0]
    }

    /// Sends a command or query and decodes the reply it gets.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, user: String? = nil) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, try JSONCoding.encoder.encode(body), messageID: id, user: user)
        try settle()
        let reply = try storage.read { db in try OutboxMessage.all(db) }.first { $0.messageID == "reply-\(id)" }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply).body)
    }

    /// A successful reply's result; throws with the error otherwise.
    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type) throws -> Result {
        let reply = try ask(type, body)
        guard let result = reply.result else { throw HarnessError(description: "\(type) failed: \(String(describing: reply.error))") }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try storage.read { db in try db.value(sql, arguments, as: Int.self) } ?? 0
    }

    func value<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as: T.Type) throws -> T? {
        try storage.read { db in try db.value(sql, arguments, as: T.self) }
    }
}

struct HarnessError: Error, CustomStringConvertible { let description: String }

/// The repository's example of an event, moved to `store` (where the event keeps its store).
func exampleEvent(_ type: String, store: String) throws -> Data {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/examples/\(type).json")
    guard var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
        throw HarnessError(description: "example \(type) is not an object")
    }
    if var client = object["client"] as? [String: Any] {
        client["store_id"] = store
        object["client"] = client
    } else {
        object["store_id"] = store
    }
    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
}
