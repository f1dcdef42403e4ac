import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
@testable import WorkerKit
import Testing

/// billing-service's handlers over a real database (a SQLite file, or a fresh PostgreSQL schema),
/// without a broker: messages go in through the MessageProcessor at a time the test sets (`now`),
/// replies and events are read back from the outbox.
struct BillingHarness {
    let engine: TestEngine
    let storage: SQLStorage
    let processor: MessageProcessor
    let definition: BillingServiceDefinition
    var now = Date(timeIntervalSince1970: 1_780_000_000)
    private var sequence = 0

    init(engine: TestEngine = .sqlite) throws {
        let definition = BillingServiceDefinition()
        self.definition = definition
        self.engine = engine
        storage = try engine.storage(definition)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let topology = ServiceTopology(service: "billing-service", eventKeys: registry.eventTypes, commandKeys: registry.commandTypes)
        processor = MessageProcessor(service: "billing-service", registry: registry,
                                     schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                     topology: topology, maxBodyBytes: 1 << 20,
                                     access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "billing-service"))
    }

    /// `user`: the broker-verified sender (by default the owner of an event's type, or the administrator).
    @discardableResult
    mutating func send<Body: Encodable>(_ type: String, _ body: Body, messageID: String? = nil, as user: String? = nil,
                                        replyTo: String? = "replies") throws -> MessageProcessor.Outcome {
        sequence += 1
        let sender = user ?? (type.hasPrefix("billing.") ? DevelopmentUsers.operatorName : DevelopmentUsers.sender(of: type))
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(body), messageID: messageID ?? "m-\(sequence)",
                                  type: type, replyTo: replyTo, userID: sender)
        let delivery = Delivery(message: message, deliveryTag: UInt64(sequence), redelivered: false,
                                exchange: Exchanges.events, routingKey: type)
        let now = self.now
        return try storage.write { db in try processor.process([delivery], in: db, now: now) }[0]
    }

    /// One turn of each of the service's timers, as the worker's timer thread runs it (at the real time).
    func tick() throws {
        let runner = TimerRunner(timers: definition.timers, storage: storage, service: "billing-service", serviceUser: "billing-service")
        for timer in definition.timers { try runner.tick(timer) }
    }

    /// Sends a command or query and decodes its reply.
    mutating func ask<Body: Encodable>(_ type: String, _ body: Body, as user: String? = nil) throws -> Reply {
        let id = "q-\(UUID().uuidString)"
        try send(type, body, messageID: id, as: user)
        let reply = try storage.read { db in try OutboxMessage.all(db) }.first { $0.messageID == "reply-\(id)" }
        return try JSONCoding.decoder.decode(Reply.self, from: try #require(reply).body)
    }

    /// A successful reply's result; throws the error otherwise.
    mutating func result<Body: Encodable, Result: Decodable>(_ type: String, _ body: Body, as: Result.Type,
                                                             user: String? = nil) throws -> Result {
        let reply = try ask(type, body, as: user)
        guard let result = reply.result else { throw ReplyError(error: reply.error) }
        return try JSONCoding.decoder.decode(Result.self, from: JSONCoding.encoder.encode(result))
    }

    /// The error code a refused command got.
    mutating func refusal<Body: Encodable>(_ type: String, _ body: Body) throws -> ErrorBody? {
        try ask(type, body).error
    }

    /// The events published so far of `type`, decoded.
    func events<T: Decodable>(_ type: String, as: T.Type) throws -> [T] {
        try storage.read { db in try OutboxMessage.all(db) }.filter { $0.routingKey == type }
            .map { try JSONCoding.decoder.decode(T.self, from: $0.body) }
    }

    func value<T: SQLValueConvertible>(_ sql: String, _ arguments: SQLArguments = [], as type: T.Type) throws -> T? {
        try storage.read { db in try db.value(sql, arguments, as: T.self) }
    }

    /// The ledger's sum for an account, straight from the table.
    func ledgerSum(_ accountID: String) throws -> Int64 {
        try value("SELECT COALESCE(SUM(amount), 0) FROM billing_ledger WHERE account_id = ?", [accountID], as: Int64.self) ?? 0
    }
}

struct ReplyError: Error { let error: ErrorBody? }

/// The common set-up: store s1, a provider `hosting` (RUB, the default), client `c1` connected to it.
extension BillingHarness {
    mutating func client(_ id: String, providers: [String] = ["hosting"], version: Int = 1) throws {
        let outcome = try send("client.updated", clientChangedEvent(id: id, version: version, providers: providers))
        guard case .handled = outcome else { throw ReplyError(error: ErrorBody(code: .internal, message: "client.updated: \(outcome)")) }
    }

    mutating func provider(_ id: String = "hosting", currency: String = "RUB", isDefault: Bool = true) throws {
        _ = try result("billing.provider.upsert", BillingProviderUpsert(storeID: "s1", providerID: id, name: "Хостинг",
                                                                         currency: currency, isDefault: isDefault), as: BillingProvider.self)
    }

    mutating func open(_ client: String = "c1", provider: String = "hosting", account: String? = nil, creditLimit: Int64 = 0,
                       postpay: Bool = false, deferment: String? = nil, defermentDays: Int? = nil,
                       blockAfterDays: Int? = nil) throws -> BillingAccount {
        try result("billing.account.open", BillingAccountOpen(
            storeID: "s1", clientID: client, providerID: provider, accountID: account, postpay: postpay, creditLimit: creditLimit,
            deferment: deferment, defermentDays: defermentDays, blockAfterDays: blockAfterDays), as: BillingAccount.self)
    }

    mutating func account(_ id: String) throws -> BillingAccount {
        try result("billing.account.get", BillingAccountRef(storeID: "s1", accountID: id), as: BillingAccount.self)
    }

    mutating func expense(_ account: String, _ amount: Int64, id: String? = nil, currency: String = "RUB") throws -> BillingExpense {
        try result("billing.expense.create", BillingExpenseCreate(storeID: "s1", accountID: account, expenseID: id,
                                                                  amount: Money(amount: amount, currency: currency), date: now),
                   as: BillingExpense.self)
    }

    mutating func pay(_ account: String, expenses: [String], amount: Int64? = nil, id: String? = nil,
                      credit: Bool = true) throws -> BillingPayment {
        let payment = try result("billing.payment.create", BillingPaymentCreate(
            storeID: "s1", accountID: account, paymentID: id, expenseIDs: expenses,
            amount: amount.map { Money(amount: $0, currency: "RUB") }), as: BillingPayment.self)
        guard credit else { return payment }
        return try result("billing.payment.credit", BillingPaymentRef(storeID: "s1", paymentID: payment.paymentID), as: BillingPayment.self)
    }

    /// Store s1 with its provider and client c1 connected.
    static func ready(_ engine: TestEngine) throws -> BillingHarness {
        var h = try BillingHarness(engine: engine)
        try h.provider()
        try h.client("c1")
        return h
    }
}
