import Contracts
import CRMTestSupport
import Foundation
import GRDB
import Messaging
import ReliabilityService
@testable import WorkerKit
import Testing

/// reliability-service's handlers over a real SQLite file, without a broker: messages go in
/// through the MessageProcessor, replies are read back from the outbox. The service's real
/// EffectRunner performs the recorded calls when asked (`settle`), and its results are handed
/// back to the processor as the broker would (from the outbox rows to the work queue).
struct ReliabilityHarness {
    let database: DatabasePool
    let processor: MessageProcessor
    let effects: EffectRunner
    /// The folder of the SQLite file, to read its bytes.
    let folder: URL
    private var sequence = 0

    static let workQueue = "reliability-service"

    init(secrets: SecretBox = .random(), outbound: OutboundPolicy = OutboundPolicy(allowLoopback: true),
         effects settings: EffectSettings = EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100))) throws {
        let definition = ReliabilityServiceDefinition(secrets: secrets, outbound: outbound)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-rel-\(UUID().uuidString)")
        database = try ServiceDatabase.open(directory: folder, service: "reliability-service",
                                            migrations: definition.registerMigrations)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: "reliability-service", eventKeys: registry.eventTypes,
                                       commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: "reliability-service", registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "reliability-service"))
        var performers = EffectRegistry()
        definition.registerEffects(&performers)
        effects = EffectRunner(database: database, registry: performers, settings: settings, outbound: outbound,
                               workQueue: Self.workQueue)
    }

    /// Performs the due effects and hands their results to the processor, until none is pending
    /// (retries included: they wait their backoff). Returns the results handled.
    @discardableResult
    func settle(timeout: Duration = .seconds(10)) throws -> [MessageProcessor.Outcome] {
        var outcomes: [MessageProcessor.Outcome] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try effects.performDue()
            let results = try database.read { db in
                try OutboxMessage.filter(Column("routing_key") == Self.workQueue).order(Column("id")).fetchAll(db)
            }
            for row in results {
                var message = row.amqpMessage(appID: "reliability-service")
                message.userID = "reliability-service"
                let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: "", routingKey: Self.workQueue)
                outcomes += try database.write { db in
                    _ = try OutboxMessage.deleteOne(db, key: row.id!)
                    return try processor.process([delivery], in: db)
                }
            }
            let pending = try database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM effect WHERE state = 'pending'") ?? 0
            }
            if pending == 0, results.isEmpty { return outcomes }
            if results.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        }
        throw ReplyError(error: ErrorBody(code: .internal, message: "effects still pending after \(timeout)"))
    }

    @discardableResult
    mutating func send<Body: Encodable>(_ type: String, _ body: Body, messageID: String? = nil,
                                        replyTo: String? = "replies") throws -> MessageProcessor.Outcome {
        sequence += 1
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: messageID ?? "m-\(sequence)",
                                  type: type, replyTo: replyTo, userID: DevelopmentUsers.sender(of: type))
        let delivery = Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                exchange: Exchanges.events, routingKey: type)
        return try database.write { db in try processor.process([delivery], in: db) }[0]
    }

    /// Sends a query and decodes the reply it gets.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, body, messageID: id)
        try settle()
        let reply = try database.read { db in
            try OutboxMessage.filter(Column("message_id") == "reply-\(id)").fetchOne(db)
        }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply).body)
    }

    mutating func rating(_ query: ReliabilityGet) throws -> ReliabilityRating {
        let reply = try ask("reliability.get", query)
        guard let result = reply.result else { throw ReplyError(error: reply.error) }
        return try JSONCoding.decoder.decode(ReliabilityRating.self, from: JSONCoding.encoder.encode(result))
    }
}

struct ReplyError: Error { let error: ErrorBody? }

extension ReliabilityHarness {
    /// Decodes a successful reply's result; fails the test with the error otherwise.
    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type) throws -> Result {
        let reply = try ask(type, body)
        guard let result = reply.result else { throw ReplyError(error: reply.error) }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    func outbox(routingKey: String) throws -> [OutboxMessage] {
        try database.read { db in try OutboxMessage.filter(Column("routing_key") == routingKey).fetchAll(db) }
    }

    /// Activates the external check of store s1 against `server`.
    mutating func activate(_ server: StubHTTPServer, timeoutMs: Int = 500, autoCheckCOD: Bool = false) throws {
        let reply = try ask("reliability.settings.update", ReliabilitySettingsUpdate(
            storeID: "s1", activate: true, partnerCode: "P-1", signature: "s3cret", baseURL: server.baseURL,
            timeoutMs: timeoutMs, autoCheckCOD: autoCheckCOD))
        guard reply.ok else { throw ReplyError(error: reply.error) }
    }
}

func attributed(_ order: String, client: String, store: String = "s1", method: PaymentMethod = .cashOnDelivery,
                amount: Int64 = 100_00, currency: String = "RUB", day: Int = 1) -> OrderAttributed {
    OrderAttributed(storeID: store, orderID: order, clientID: client,
                    placedAt: Date(timeIntervalSince1970: 1_714_521_600 + Double(day) * 86_400),
                    total: Money(amount: amount, currency: currency), paymentMethod: method, matchedBy: .phone)
}

func status(_ order: String, _ status: OrderStatus, store: String = "s1", at seconds: Double) -> OrderStatusChanged {
    OrderStatusChanged(storeID: store, orderID: order, status: status, changedAt: Date(timeIntervalSince1970: 1_714_521_600 + seconds))
}
