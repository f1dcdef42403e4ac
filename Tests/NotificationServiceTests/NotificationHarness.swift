import Contracts
import CRMTestSupport
import Foundation
import Messaging
import NotificationService
import SQLStore
@testable import WorkerKit
import Testing

/// notification-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL
/// schema), without a broker: messages go in through the MessageProcessor, replies and events are
/// read back from the outbox. The service's real EffectRunner sends the SMS to a real HTTP server
/// when asked (`settle`), and its results are handed back as the broker would. E-mail is the
/// e-mail channel's part: its effect rows are read, and its results handed in with `emailDone`.
struct NotificationHarness {
    let engine: TestEngine
    let storage: SQLStorage
    let processor: MessageProcessor
    let effects: EffectRunner
    let secrets: SecretBox
    private var sequence = 0

    static let service = "notification-service"
    static let catalog: TemplateCatalog = {
        do { return try TemplateCatalog.load() } catch { fatalError("templates/: \(error)") }
    }()

    init(engine: TestEngine = .sqlite, secrets: SecretBox = .random(), catalog: TemplateCatalog = Self.catalog,
         effects settings: EffectSettings = EffectSettings(retryBase: .milliseconds(20), retryMax: .milliseconds(100)),
         resultsInProcess: Bool = false) throws {
        let outbound = OutboundPolicy(allowLoopback: true)
        let definition = NotificationServiceDefinition(secrets: secrets, outbound: outbound, catalog: catalog)
        self.engine = engine
        self.secrets = secrets
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: Self.service, eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: Self.service, registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: Self.service))
        var performers = EffectRegistry()
        definition.registerEffects(&performers)
        // `resultsInProcess`: as the worker runs it, each result handled in the transaction that records it.
        effects = EffectRunner(storage: storage, registry: performers, settings: settings, outbound: outbound,
                               workQueue: Self.service,
                               results: resultsInProcess ? EffectResultHandling(processor: processor, serviceUser: Self.service) : nil)
    }

    /// One message as `user` sent it (by default whoever may: the owning service, or an admin).
    @discardableResult
    mutating func send<Body: Encodable>(_ type: String, _ body: Body, messageID: String? = nil, as user: String? = nil,
                                        replyTo: String? = "replies") throws -> MessageProcessor.Outcome {
        sequence += 1
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: messageID ?? "m-\(sequence)",
                                  type: type, replyTo: replyTo, userID: user ?? DevelopmentUsers.sender(of: type))
        let delivery = Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                exchange: Exchanges.events, routingKey: type)
        return try storage.write { db in try processor.process([delivery], in: db) }[0]
    }

    /// Several messages handled as one batch of the consumer (one transaction, one `BatchMemo`).
    mutating func sendBatch(_ messages: [(type: String, body: any Encodable)]) throws -> [MessageProcessor.Outcome] {
        var deliveries: [Delivery] = []
        for (type, body) in messages {
            sequence += 1
            let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: "m-\(sequence)", type: type,
                                      replyTo: "replies", userID: DevelopmentUsers.sender(of: type))
            deliveries.append(Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                       exchange: Exchanges.events, routingKey: type))
        }
        return try storage.write { db in try processor.process(deliveries, in: db) }
    }

    /// An event, which must be handled (not refused, not dead-lettered).
    mutating func publish<Body: Encodable>(_ type: String, _ body: Body, messageID: String? = nil, as user: String? = nil) throws {
        let outcome = try send(type, body, messageID: messageID, as: user, replyTo: nil)
        guard case .handled = outcome else { throw ReplyError(error: ErrorBody(code: .internal, message: "\(type): \(outcome)")) }
    }

    /// Sends a command or query as the operator and decodes its reply.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, as user: String = DevelopmentUsers.operatorName) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, body, messageID: id, as: user)
        let reply = try outbox(routingKey: "replies").first { $0.messageID == "reply-\(id)" }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply).body)
    }

    /// A successful reply's result; throws the error otherwise.
    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type) throws -> Result {
        let reply = try ask(type, body)
        guard let result = reply.result else { throw ReplyError(error: reply.error) }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    /// Performs the due effects and hands their results to the processor until none is pending.
    func settle(timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try effects.performDue()
            let results = try outbox(routingKey: Self.service)
            for row in results {
                var message = row.amqpMessage(appID: Self.service)
                message.userID = Self.service
                let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: "", routingKey: Self.service)
                _ = try storage.write { db in
                    try db.execute("DELETE FROM outbox WHERE id = ?", [row.id!])
                    return try processor.process([delivery], in: db)
                }
            }
            let pending = try count("SELECT COUNT(*) FROM effect WHERE state = 'pending' AND kind = 'notification.sms'")
            if pending == 0, results.isEmpty { return }
            if results.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
        }
        throw ReplyError(error: ErrorBody(code: .internal, message: "effects still pending after \(timeout)"))
    }

    /// The e-mails recorded for the e-mail channel, oldest first.
    func emails() throws -> [(id: Int64, send: EmailSend)] {
        try storage.read { db in
            try db.rows("SELECT id, payload FROM effect WHERE kind = 'notification.email' ORDER BY id").map { row in
                (id: row["id"] as Int64, send: try JSONCoding.decoder.decode(EmailSend.self, from: row["payload"] as Data))
            }
        }
    }

    /// Hands in the e-mail channel's result for effect `id`, as its runner would.
    mutating func emailDone(_ id: Int64, _ email: EmailSend, sent: Bool, attempts: Int = 1) throws {
        let done = EmailSendCompleted(effectID: id, kind: "notification.email", attempts: attempts, payload: email,
                                      result: sent ? EmailSent(messageID: "<\(email.deliveryID)@test>") : nil,
                                      failure: sent ? nil : "the server refused the message: 550 no such user",
                                      completedAt: Date())
        try send("notification.email.completed", done, as: Self.service, replyTo: nil)
    }

    func outbox(routingKey: String) throws -> [OutboxMessage] {
        try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == routingKey }
    }

    /// The events of `type` published so far, decoded.
    func events<T: Decodable>(_ type: String, as: T.Type) throws -> [T] {
        try outbox(routingKey: type).map { try JSONCoding.decoder.decode(T.self, from: $0.body) }
    }

    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try storage.read { db in try db.value(sql, arguments, as: Int.self) } ?? 0
    }

    func value<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type) throws -> T? {
        try storage.read { db in try db.value(sql, arguments, as: T.self) }
    }
}

struct ReplyError: Error { let error: ErrorBody? }

/// Client cards as client-service publishes them.
func card(_ id: String, store: String = "s1", version: Int = 1, email: String? = "anna@example.ru", phone: String? = "+79123456789",
          language: String? = nil, newsletter: Bool? = nil, promoSMS: Bool? = nil, source: String? = "web",
          noRegistrationEmail: Bool? = nil, deleted: Bool = false) -> ClientChanged {
    var fields = ClientFields()
    fields.kind = .person
    fields.characteristic = "normal"
    fields.firstName = "Анна"
    fields.email = email
    fields.phone = phone
    fields.language = language
    fields.newsletter = newsletter ?? false
    fields.promoSMS = promoSMS
    fields.source = source
    fields.noRegistrationEmail = noRegistrationEmail
    let at = Date(timeIntervalSince1970: 1_714_521_600)
    return ClientChanged(client: ClientCard(clientID: id, storeID: store, version: version, deleted: deleted, mergedInto: nil,
                                            createdAt: at, updatedAt: at, fields: fields))
}
