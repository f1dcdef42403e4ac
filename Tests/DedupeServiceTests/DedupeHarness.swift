import Contracts
import CRMTestSupport
import DedupeService
import Foundation
import Messaging
import SQLStore
@testable import WorkerKit
import Testing

/// dedupe-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL schema),
/// without a broker: messages go in through the MessageProcessor; replies and events are read back
/// from the outbox; queued analyses run as the timer thread runs them.
struct DedupeHarness {
    let storage: SQLStorage
    let processor: MessageProcessor
    let definition: DedupeServiceDefinition
    private var sequence = 0

    init(engine: TestEngine = .sqlite, definition: DedupeServiceDefinition = DedupeServiceDefinition()) throws {
        self.definition = definition
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: "dedupe-service", eventKeys: registry.eventTypes,
                                       commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: "dedupe-service", registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "dedupe-service"))
    }

    @discardableResult
    mutating func send<Body: Encodable>(_ type: String, _ body: Body, as user: String? = nil, messageID: String? = nil,
                                        replyTo: String? = "replies") throws -> MessageProcessor.Outcome {
        sequence += 1
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: messageID ?? "m-\(sequence)",
                                  type: type, replyTo: replyTo, userID: user ?? DevelopmentUsers.sender(of: type))
        let delivery = Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                exchange: Exchanges.events, routingKey: type)
        return try storage.write { db in try processor.process([delivery], in: db) }[0]
    }

    /// Runs the queued analyses as the worker's timer thread would (its `analysis` work), until
    /// none is left; returns the `dedupe.job.progress` events published meanwhile (taken out of the outbox).
    @discardableResult
    mutating func runJobs() throws -> [DedupeJobProgress] {
        var seen: [DedupeJobProgress] = []
        while true {
            seen += try takeProgress()
            guard try count("SELECT COUNT(*) FROM dedupe_job WHERE kind = 'analyze' AND status = 'queued'") > 0 else { return seen }
            try tick(only: "analysis")
        }
    }

    /// The `dedupe.job.progress` events in the outbox, removed from it.
    func takeProgress() throws -> [DedupeJobProgress] {
        let rows = try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == "dedupe.job.progress" }
        for row in rows { try storage.write { db in _ = try db.execute("DELETE FROM outbox WHERE id = ?", [row.id!]) } }
        return try rows.map { try JSONCoding.decoder.decode(DedupeJobProgress.self, from: $0.body) }
    }

    /// One tick of the service's timers (or of the one named `only`), as the worker's timer thread runs it.
    func tick(only: String? = nil) throws {
        let runner = TimerRunner(timers: definition.timers, storage: storage, service: "dedupe-service", serviceUser: "dedupe-service")
        for timer in definition.timers where only == nil || timer.name == only { try runner.tick(timer) }
    }

    /// Sends a command or query and decodes its reply.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, as user: String? = nil) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, body, as: user, messageID: id)
        let reply = try storage.read { db in try OutboxMessage.all(db) }.first { $0.messageID == "reply-\(id)" }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply).body)
    }

    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type,
                                                             user: String? = nil) throws -> Result {
        let reply = try ask(type, body, as: user)
        guard let result = reply.result else { throw ReplyError(error: reply.error) }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try storage.read { db in try db.value(sql, arguments, as: Int.self) } ?? 0
    }
}

struct ReplyError: Error { let error: ErrorBody? }

/// A card as client-service publishes it.
func card(_ id: String, store: String = "s1", version: Int = 1, first: String = "Анна", email: String? = nil,
          phone: String? = nil, extra: [String]? = nil, companies: [ClientCompany]? = nil, day: Double = 0) -> ClientChanged {
    var fields = ClientFields()
    fields.kind = .person
    fields.newsletter = false
    fields.source = "web"
    fields.characteristic = "good"
    fields.firstName = first
    fields.email = email
    fields.phone = phone
    fields.extraPhones = extra
    fields.companies = companies
    let at = Date(timeIntervalSince1970: 1_780_000_000 + day * 86_400)
    return ClientChanged(changedFields: version > 1 ? ["phone"] : nil, client: ClientCard(clientID: id, storeID: store, version: version, deleted: false, mergedInto: nil,
                                            createdAt: at, updatedAt: at, fields: fields))
}
