import ClientService
import Contracts
import CRMTestSupport
import Foundation
import SQLStore
import Messaging
import Synchronization
import Testing
import WorkerKit

extension BrokerSuite {
    /// Refusals answered only; retry counts and inbox rows that a sender cannot forge or shadow.
    @Suite struct RefusalAndRetryThroughBrokerTests {
        @Test func aRefusedRequestIsAnsweredAndNotDeadLettered() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let refused = try JSONCoding.decoder.decode(Reply.self, from: client.request(
                    type: "client.get", body: Data(#"{"client_id": 5}"#.utf8)).body)
                #expect(refused.error?.code == .validationFailed)
                // A later request is answered after the first one's outbox rows were written.
                _ = try client.request(type: "client-service.status", body: Data("{}".utf8))
                try await Task.sleep(for: .milliseconds(500))
                let reader = try AMQPConnection(url: url)
                #expect(try reader.declareQueue("client-service.dead", passive: true).messageCount == 0)
            }
        }

        @Test(arguments: [Int64(-5), 999_999])
        func aForgedRetryCountChangesNothing(forged: Int64) async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let store = "flaky-\(forged)"
            // The service logs in as its own user: the requester (the test user) is someone else.
            try await RunningWorker.with(FlakyDefinition(), url: url, as: "billing-service",
                                         policy: DevelopmentUsers.policy(withAdmin: url.user)) { worker in
                let client = try RequestClient(url: url, appID: "test")
                let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(
                    type: "store.get", body: Data(#"{"store_id": "\#(store)"}"#.utf8),
                    headers: [DeadLetterHeader.retryCount: .int(forged)], timeout: .seconds(15)).body)
                // Failed (in its batch, then alone), retried once by the service's own count, answered.
                #expect(reply.ok, "\(String(describing: reply.error))")
                #expect(FlakyDefinition.calls(store) == 3)
                let reader = try AMQPConnection(url: url)
                #expect(try reader.declareQueue("billing-service.dead", passive: true).messageCount == 0)
                _ = worker
            }
        }

        @Test func oneSendersMessageIDDoesNotShadowAnothers() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { worker in
                for (shop, store) in [("shop-s1", "s1"), ("shop-s2", "s2")] {
                    let connection = try AMQPConnection(url: TestBroker.url(url, as: shop))
                    try connection.enableConfirms()
                    let order = orderPlacedMessage(store: store, order: "o-\(store)", messageID: "the-same-id")
                    try connection.publish(exchange: Exchanges.events, routingKey: "order.placed", message: order)
                    try connection.waitForConfirms()
                }
                #expect(try eventually(timeout: .seconds(15)) { try worker.count("SELECT COUNT(*) FROM client_order") == 2 })
                #expect(try worker.count("SELECT COUNT(*) FROM inbox WHERE message_id = 'the-same-id'") == 2)
            }
        }
    }
}

/// A test service whose `store.get` fails with a plain (transient) error the first two times it
/// sees a store (in its batch, then alone under a savepoint: then it is retried), and answers the third.
struct FlakyDefinition: WorkerDefinition {
    static let seen = Mutex<[String: Int]>([:])
    static func calls(_ store: String) -> Int { seen.withLock { $0[store] ?? 0 } }

    struct Transient: Error {}

    var name: ServiceName { .billing }
    func registerMigrations(_ migrator: inout DatabaseMigrator) {}
    func registerHandlers(_ registry: inout HandlerRegistry) {
        registry.query("store.get", StoreGet.self) { _, query, _ -> [String: String] in
            let calls = Self.seen.withLock { seen in
                seen[query.storeID, default: 0] += 1
                return seen[query.storeID]!
            }
            if calls <= 2 { throw Transient() }
            return ["store_id": query.storeID]
        }
    }
}
