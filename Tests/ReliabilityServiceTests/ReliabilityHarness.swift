import Contracts
import CRMTestSupport
import Foundation
import Messaging
import ReliabilityService
import SQLStore
@testable import WorkerKit
import Testing

/// reliability-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL
/// schema), without a broker: messages go in
/// through the MessageProcessor, replies are read back from the outbox. The service's real
/// EffectRunner performs the recorded calls when asked (`settle`), and its results are handed
/// back to the processor as the broker would (from the outbox rows to the work queue).
struct ReliabilityHarness {
    let engine: TestEngine
    let storage: SQLStorage
    let processor: MessageProcessor
    let effects: EffectRunner
    private var sequence = 0

    static let workQueue = "reliability-service"

    init(engine: TestEngine = .sqlite, secrets: SecretBox = .random(), outbound: OutboundPolicy = OutboundPolicy(allowLoopback: true),
         effects settings: EffectSettings = EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100))) throws {
        let definition = ReliabilityServiceDefinition(secrets: secrets, outbound: outbound)
        self.engine = engine
        storage = try engine.storage(definition)
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
        effects = EffectRunner(storage: storage, registry: performers, settings: settings, outbound: outbound,
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
            let results = try outbox(routingKey: Self.workQueue)
            for row in results {
                var message = row.amqpMessage(appID: "reliability-service")
                message.userID = "reliability-service"
                let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: "", routingKey: Self.workQueue)
                outcomes += try storage.write { db in
                    try db.execute("DELETE FROM outbox WHERE id = ?", [row.id!])
                    return try processor.process([delivery], in: db)
                }
            }
            let pending = try count("SELECT COUNT(*) FROM effect WHERE state = 'pending'")
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
        return try storage.write { db in try processor.process([delivery], in: db) }[0]
    }

    /// Sends a query and decodes the reply it gets.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, body, messageID: id)
        try settle()
        let reply = try storage.read { db in try OutboxMessage.all(db) }.first { $0.messageID == "reply-\(id)" }
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
        try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == routingKey }
    }

    /// The first column of a one-row query, as a number (`SELECT COUNT(*) …`).
    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try storage.read { db in try db.value(sql, arguments, as: Int.self) } ?? 0
    }

    func value<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type) throws -> T? {
        try storage.read { db in try db.value(sql, arguments, as: T.self) }
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
