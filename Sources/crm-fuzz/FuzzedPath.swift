import ClientService
import Contracts
import Foundation
import GRDB
import SQLStore
import Messaging
import ReliabilityService
import WorkerKit

/// What one fuzz input goes through: the JSON parser; when it parses, the schema validator for
/// several message types; and for each type whose schema accepts it, the whole MessageProcessor
/// path (envelope, parse, validate, access, decode, handler) on a real SQLite file, in a
/// transaction that is rolled back so that every input meets the same database.
///
/// A crash, a trap or an outcome that is neither handled nor refused with a reason is a finding.
struct FuzzedPath {
    struct Service {
        let database: DatabasePool
        let processor: MessageProcessor
        let types: Set<String>
        let events: Set<String>
    }

    /// Validated for every input that parses; processed when valid and owned by a service.
    static let types = [
        "order.placed", "order.status_changed", "order.attributed",
        "client.create", "client.update", "client.search", "client.get", "client.merge", "client.history",
        "client.address.add", "client.company.add", "client.export", "client.note.add", "store.upsert", "store.list",
        "reliability.check", "reliability.get", "reliability.settings.update",
    ]
    /// A fixed clock keeps an input's path the same from one run to the next.
    static let now = Date(timeIntervalSince1970: 1_714_558_530)

    let schemas: SchemaRegistry
    let services: [Service]
    /// `CRM_FUZZ_VERBOSE=1`: print each type an input was processed as, and the outcome (for replays).
    let verbose = ProcessInfo.processInfo.environment["CRM_FUZZ_VERBOSE"] == "1"
    private var sequence = 0

    init(folder: URL) throws {
        schemas = try SchemaRegistry(directory: SchemaRegistry.defaultDirectory())
        let secrets = SecretBox.random()
        // Handlers record external calls as effects and no effect runner runs here: nothing calls out.
        services = [
            try Self.service(ClientServiceDefinition(), folder: folder, schemas: schemas),
            try Self.service(ReliabilityServiceDefinition(secrets: secrets, outbound: OutboundPolicy(allowLoopback: false, allowPrivate: false)),
                             folder: folder, schemas: schemas),
        ]
    }

    private static func service(_ definition: some WorkerDefinition, folder: URL, schemas: SchemaRegistry) throws -> Service {
        let name = definition.name.rawValue
        let database = try ServiceDatabase.open(directory: folder, service: name, migrations: definition.registerMigrations)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: name, eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        let processor = MessageProcessor(service: name, registry: registry, schemas: schemas, topology: topology,
                                         maxBodyBytes: 1 << 20,
                                         access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: name))
        return Service(database: database, processor: processor, types: Set(registry.types), events: Set(registry.eventTypes))
    }

    mutating func run(_ body: Data) {
        guard let json = try? JSONValue.parse(body) else { return }
        for type in Self.types {
            guard let issues = schemas.validate(json, type: type) else { fatalError("no schema for \(type)") }
            if issues.contains(where: { $0.problem.isEmpty }) { fatalError("\(type): an issue without a problem: \(issues)") }
            guard issues.isEmpty, let service = services.first(where: { $0.types.contains(type) }) else { continue }
            process(body, type: type, in: service)
        }
    }

    private mutating func process(_ body: Data, type: String, in service: Service) {
        sequence += 1
        // Events come from their owner; commands and queries from an administrator, who may send them all.
        let user = service.events.contains(type) ? DevelopmentUsers.sender(of: type) : DevelopmentUsers.adminName
        let message = AMQPMessage(body: body, messageID: "fuzz-\(sequence)", type: type, replyTo: "fuzz.replies",
                                  appID: "crm-fuzz", userID: user)
        let delivery = Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                exchange: Exchanges.events, routingKey: type)
        var outcome: MessageProcessor.Outcome?
        do {
            try service.database.writeWithoutTransaction { db in
                try db.inTransaction {
                    outcome = try service.processor.process([delivery], in: SQLiteDatabase(db), now: Self.now).first
                    return .rollback
                }
            }
        } catch {
            fatalError("\(type): the processor threw (the batch would be given back forever): \(error)")
        }
        if verbose { print("\(type): \(outcome.map { "\($0)" } ?? "none")") }
        switch outcome {
        case .handled?, .rejected?, .deadLettered?: break
        // A valid body is never a duplicate (fresh id) nor a retry (the handler threw something unexpected).
        case let other: fatalError("\(type): outcome \(String(describing: other)) for a body its schema accepts")
        }
    }
}
