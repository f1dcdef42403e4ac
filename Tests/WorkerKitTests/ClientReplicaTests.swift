import Contracts
import CRMTestSupport
import Foundation
import SQLStore
import Testing
@testable import ClientService
@testable import WorkerKit

/// Two replicas of client-service on one PostgreSQL database, played by two transactions on two
/// connections of one pool, each on a thread of its own. (SQLite has one writer: nothing to race.)
@Suite(.enabled(if: TestEngine.databaseURL != nil, "needs CRM_TEST_DATABASE_URL"))
struct ClientReplicaTests {
    static func context(_ type: String) -> HandlerContext {
        HandlerContext(service: "client-service", messageID: UUID().uuidString, type: type, appID: "test",
                       sender: Sender(userID: DevelopmentUsers.operatorName, grant: AccessGrant(role: .operator, stores: ["s1"])),
                       now: Date())
    }

    /// True once another connection waits for a lock `first`'s transaction holds (seen from a
    /// third connection), false after 10 s.
    static func waitUntilBlocked(by first: Backend, _ storage: SQLStorage) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let waiting = try storage.read { db in
                try db.value("SELECT COUNT(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))", [first.pid], as: Int.self)
            }
            if waiting == 1 { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    static func rename(_ card: ClientCard, to lastName: String, version: Int) -> ClientUpdate {
        var changes = ClientFields()
        changes.lastName = lastName
        return ClientUpdate(storeID: "s1", clientID: card.clientID, version: version, changes: changes)
    }

    @Test func twoEditsOfOneCardTakeTurnsAndTheSecondSeesTheNewVersion() throws {
        let storage = try TestEngine.postgres.storage(ClientServiceDefinition())
        var fields = ClientFields()
        fields.firstName = "Anna"
        fields.phone = "+79120000001"
        let card = try storage.write { db in try ClientCommands.create(db, ClientCreate(storeID: "s1", fields: fields), Self.context("client.create")) }

        let (holding, release, firstDone, secondDone) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0),
                                                         DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let (second, first) = (Outcome(), Backend())
        DispatchQueue.global().async {
            _ = try? storage.write { db in
                first.pid = try db.value("SELECT pg_backend_pid()", as: Int.self)
                _ = try ClientCommands.update(db, Self.rename(card, to: "Ivanova", version: 1), Self.context("client.update"))
                holding.signal()
                release.wait()
            }
            firstDone.signal()
        }
        holding.wait()
        DispatchQueue.global().async {
            second.set(Result { try storage.write { db in
                try ClientCommands.update(db, Self.rename(card, to: "Petrova", version: 1), Self.context("client.update"))
            } })
            secondDone.signal()
        }
        #expect(try Self.waitUntilBlocked(by: first, storage), "the second edit waits for the first's lock")
        release.signal()
        firstDone.wait()
        secondDone.wait()

        #expect(throws: ErrorBody.self, "the second edit read version 2 and is refused as stale") { try second.get().get() }
        let stored = try storage.read { db in try ClientStore.load(db, clientID: card.clientID) }
        #expect(stored?.version == 2 && stored?.fields.lastName == "Ivanova")
    }

    static func order(_ id: String) -> OrderPlaced {
        OrderPlaced(storeID: "s1", orderID: id, placedAt: Date(timeIntervalSince1970: 1_714_558_530),
                    customer: OrderCustomer(externalID: "u-1", firstName: "Anna", phone: "+79120000001"),
                    total: Money(amount: 1000, currency: "RUB"), paymentMethod: .cashOnDelivery)
    }

    @Test func twoOrdersOfOneNewBuyerMakeOneGuestTheSecondBatchRunsAgain() throws {
        let storage = try TestEngine.postgres.storage(ClientServiceDefinition())
        let (holding, release, firstDone, secondDone) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0),
                                                         DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let (second, first) = (Outcome(), Backend())
        DispatchQueue.global().async {
            _ = try? storage.write { db in
                first.pid = try db.value("SELECT pg_backend_pid()", as: Int.self)
                try OrderAttribution.handle(db, Self.order("o-1"), Self.context("order.placed"))
                try db.flush()  // as MessageProcessor does after each handler: its inserts are sent ahead
                holding.signal()
                release.wait()
            }
            firstDone.signal()
        }
        holding.wait()
        DispatchQueue.global().async {
            second.set(Result { try storage.write { db in try OrderAttribution.handle(db, Self.order("o-2"), Self.context("order.placed")) } })
            secondDone.signal()
        }
        #expect(try Self.waitUntilBlocked(by: first, storage), "the second guest insert waits on the unique key")
        release.signal()
        firstDone.wait()
        secondDone.wait()

        let error = try #require(second.get().failure, "the second insert hits the live client's unique key")
        #expect(SQLConflict.isTransient(error), "\(error)")
        // The consumer runs the batch again: now the first guest is there to be found.
        try storage.write { db in try OrderAttribution.handle(db, Self.order("o-2"), Self.context("order.placed")) }
        let owners = try storage.read { db in try db.column("SELECT DISTINCT client_id FROM client_order", as: String.self) }
        #expect(owners.count == 1)
        #expect(try storage.read { db in try db.value("SELECT COUNT(*) FROM client", as: Int.self) } == 1)
    }
}

/// The backend process of a transaction, written by its thread before it signals.
final class Backend: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int?
    var pid: Int? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// What a thread handed back, read once it has signalled.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, Error>?

    func set<T>(_ result: Result<T, Error>) { lock.withLock { self.result = result.map { _ in () } } }
    func get() throws -> Result<Void, Error> {
        guard let result = lock.withLock({ result }) else { throw CancellationError() }
        return result
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
