import ClientService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import Testing
import WorkerKit

extension BrokerSuite {
    /// Who may do what, with the development users on the real broker: what the broker itself
    /// refuses (permissions, topic permissions, a forged user_id) and what the services refuse
    /// (another store, no user_id), with client-service logged in as its own user.
    @Suite struct IdentityThroughBrokerTests {
        static func user(_ url: AMQPURL, _ name: String) throws -> AMQPURL { try TestBroker.url(url, as: name) }

        /// Publishes one message with confirms on a connection of its own; throws what the broker said.
        static func publishConfirmed(_ url: AMQPURL, exchange: String, _ message: AMQPMessage, stampsUserID: Bool = true) throws {
            let connection = try AMQPConnection(url: url)
            connection.stampsUserID = stampsUserID
            try connection.enableConfirms()
            try connection.publish(exchange: exchange, routingKey: message.type ?? "", message: message)
            try connection.waitForConfirms(timeout: .seconds(5))
            connection.close()
        }

        static func deadLetters(_ url: AMQPURL, queue: String, count: Int) throws -> [AMQPMessage] {
            let reader = try AMQPConnection(url: url)
            try reader.consume(queue: queue, noAck: true)
            var letters: [AMQPMessage] = []
            let deadline = ContinuousClock.now + .seconds(20)
            while letters.count < count, ContinuousClock.now < deadline {
                if let delivery = try reader.nextDelivery(timeout: .milliseconds(200)) { letters.append(delivery.message) }
            }
            return letters
        }

        @Test func aShopPublishesOnlyItsOwnStoresOrders() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { worker in
                let shop = try Self.user(url, "shop-s1")
                try Self.publishConfirmed(shop, exchange: Exchanges.events, orderPlacedMessage(store: "s1", order: "own"))
                try Self.publishConfirmed(shop, exchange: Exchanges.events, orderPlacedMessage(store: "s2", order: "foreign"))
                #expect(try eventually(timeout: .seconds(20)) { try worker.count("SELECT COUNT(*) FROM inbox") == 2 })
                #expect(try worker.count("SELECT COUNT(*) FROM client_order") == 1)
                #expect(try worker.count("SELECT COUNT(*) FROM client_order WHERE store_id = 's2'") == 0)

                let letters = try Self.deadLetters(url, queue: "client-service.dead", count: 1)
                #expect(letters.count == 1)
                #expect(letters.first?.headers[DeadLetterHeader.reason] == .string("unauthorized"))
                #expect(letters.first?.headers[DeadLetterHeader.field] == .string("store_id"))
                #expect(letters.first?.headers[AccessControl.originalUserHeader] == .string("shop-s1"))
            }
        }

        /// An administrator's replay is published as the administrator, yet the service still acts
        /// for the original sender: a shop's refused order stays refused.
        @Test func aReplayedDeadLetterKeepsItsOriginalSender() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { worker in
                try Self.publishConfirmed(Self.user(url, "shop-s1"), exchange: Exchanges.events,
                                          orderPlacedMessage(store: "s2", order: "foreign", messageID: "replayed-1"))
                let admin = try Self.user(url, DevelopmentUsers.adminName)
                let probe = try AMQPConnection(url: admin)
                #expect(try eventually(timeout: .seconds(20)) { try probe.declareQueue("client-service.dead", passive: true).messageCount == 1 })
                let replay = try OperatorToolTests.crmctl(admin, ["dead", "replay", "client-service"])
                #expect(replay.status == 0 && replay.output.contains("1 dead letter(s) replayed"), "\(replay.output)")
                let letters = try Self.deadLetters(url, queue: "client-service.dead", count: 1)
                #expect(letters.first?.headers[DeadLetterHeader.reason] == .string("unauthorized"))
                #expect(letters.first?.headers[AccessControl.originalUserHeader] == .string("shop-s1"))
                #expect(try worker.count("SELECT COUNT(*) FROM client_order") == 0)
            }
        }

        @Test func theBrokerRefusesWhatAShopMayNotDo() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { worker in
                let shop = try Self.user(url, "shop-s1")
                // Reading a service's queue.
                #expect(throws: AMQPError.self) { _ = try AMQPConnection(url: shop).consume(queue: "client-service") }
                // A command, on either command exchange.
                let create = AMQPMessage(body: Data(#"{"store_id": "s1", "first_name": "Eve"}"#.utf8), messageID: "c-1", type: "client.create")
                #expect(throws: AMQPError.self) { try Self.publishConfirmed(shop, exchange: Exchanges.commands, create) }
                #expect(throws: AMQPError.self) { try Self.publishConfirmed(shop, exchange: Exchanges.requests, create) }
                // An event type a service owns (topic permissions).
                let forged = AMQPMessage(body: Data("{}".utf8), messageID: "f-1", type: "order.attributed")
                #expect(throws: AMQPError.self) { try Self.publishConfirmed(shop, exchange: Exchanges.events, forged) }
                // Another user's user_id.
                var impostor = orderPlacedMessage(store: "s2", order: "impostor")
                impostor.userID = "shop-s2"
                #expect(throws: AMQPError.self) { try Self.publishConfirmed(shop, exchange: Exchanges.events, impostor) }
                // What the shop may do still works.
                try Self.publishConfirmed(shop, exchange: Exchanges.events, orderPlacedMessage(store: "s1", order: "fine"))
                #expect(try eventually(timeout: .seconds(20)) { try worker.count("SELECT COUNT(*) FROM client_order") == 1 })
                #expect(try worker.count("SELECT COUNT(*) FROM client_order WHERE order_id = 'impostor'") == 0)
            }
        }

        @Test func aMessageWithoutUserIDIsRefused() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service") { worker in
                let client = try RequestClient(url: url, appID: "anonymous")
                client.connection.stampsUserID = false
                let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(
                    type: "client.create", body: Data(#"{"store_id": "s1", "first_name": "Eve"}"#.utf8)).body)
                #expect(reply.error?.code == .unauthorized)
                #expect(reply.error?.details.first?.field == "user_id")

                try Self.publishConfirmed(url, exchange: Exchanges.events, orderPlacedMessage(order: "anonymous"), stampsUserID: false)
                let letters = try Self.deadLetters(url, queue: "client-service.dead", count: 1)
                #expect(letters.map { $0.headers[DeadLetterHeader.reason] } == [.string("unauthorized")])
                #expect(try worker.count("SELECT COUNT(*) FROM client") == 0)
                #expect(try worker.count("SELECT COUNT(*) FROM client_order") == 0)
            }
        }

        @Test func anOperatorOfOneStoreGetsNotFoundForAnotherStoresClients() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            var policy = DevelopmentUsers.policy
            policy.users[DevelopmentUsers.operatorName] = AccessGrant(role: .operator, stores: ["s1"])
            try await RunningWorker.with(ClientServiceDefinition(), url: url, as: "client-service", policy: policy) { _ in
                let admin = try RequestClient(url: Self.user(url, DevelopmentUsers.adminName), appID: "crmctl")
                let operatorClient = try RequestClient(url: Self.user(url, DevelopmentUsers.operatorName), appID: "admin-console")
                let foreign = try admin.result(of: "client.create", body: Data(#"""
                    {"store_id": "s2", "first_name": "Ольга", "addresses": [{"kind": "shipping", "city": "Казань"}],
                     "companies": [{"name": "ООО Ромашка"}]}
                    """#.utf8), as: ClientCard.self)
                let own = try operatorClient.result(of: "client.create", body: Data(#"{"store_id": "s1", "first_name": "Анна"}"#.utf8),
                                                    as: ClientCard.self)

                // Every command by client id, naming the operator's own store, for a client of the other.
                let id = foreign.clientID
                let bodies: [(String, String)] = [
                    ("client.get", #"{"store_id": "s1", "client_id": "\#(id)"}"#),
                    ("client.history", #"{"store_id": "s1", "client_id": "\#(id)"}"#),
                    ("client.update", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "last_name": "X"}"#),
                    ("client.delete", #"{"store_id": "s1", "client_id": "\#(id)"}"#),
                    ("client.restore", #"{"store_id": "s1", "client_id": "\#(id)"}"#),
                    ("client.address.add", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "address": {"kind": "shipping", "city": "Омск"}}"#),
                    ("client.address.update", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "index": 0, "address": {"kind": "shipping", "city": "Омск"}}"#),
                    ("client.address.remove", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "index": 0}"#),
                    ("client.company.add", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "company": {"name": "ИП"}}"#),
                    ("client.company.update", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "index": 0, "company": {"name": "ИП"}}"#),
                    ("client.company.remove", #"{"store_id": "s1", "client_id": "\#(id)", "version": 1, "index": 0}"#),
                    ("client.unmerge", #"{"store_id": "s1", "merged_id": "\#(id)"}"#),
                    ("client.merge", #"{"store_id": "s1", "survivor_id": "\#(own.clientID)", "merged_ids": ["\#(id)"]}"#),
                ]
                for (type, body) in bodies {
                    let reply = try JSONCoding.decoder.decode(Reply.self, from: operatorClient.request(type: type, body: Data(body.utf8)).body)
                    #expect(reply.error?.code == .notFound, "\(type)")
                    // The same answer as for a client that does not exist at all.
                    let missing = body.replacingOccurrences(of: id, with: "no-such-client")
                    let unknown = try JSONCoding.decoder.decode(Reply.self, from: operatorClient.request(type: type, body: Data(missing.utf8)).body)
                    #expect(reply.error?.message.replacingOccurrences(of: id, with: "no-such-client") == unknown.error?.message, "\(type)")
                }
                // Naming the other store itself is refused.
                let named = try JSONCoding.decoder.decode(Reply.self, from: operatorClient.request(
                    type: "client.get", body: Data(#"{"store_id": "s2", "client_id": "\#(id)"}"#.utf8)).body)
                #expect(named.error?.code == .unauthorized && named.error?.details.first?.field == "store_id")
                // The other store's card is untouched.
                let card = try admin.result(of: "client.get", body: Data(#"{"store_id": "s2", "client_id": "\#(id)"}"#.utf8), as: ClientCard.self)
                #expect(card.version == 1 && card.deleted == false && card.fields.lastName == nil)

                // The history names the authenticated users, not the app_id they wrote.
                let history = try operatorClient.result(of: "client.history", body: Data(#"{"store_id": "s1", "client_id": "\#(own.clientID)"}"#.utf8),
                                                        as: ClientHistoryResult.self)
                #expect(!history.items.isEmpty && history.items.allSatisfy { $0.author == DevelopmentUsers.operatorName })
                let adminHistory = try admin.result(of: "client.history", body: Data(#"{"store_id": "s2", "client_id": "\#(id)"}"#.utf8),
                                                    as: ClientHistoryResult.self)
                #expect(adminHistory.items.allSatisfy { $0.author == DevelopmentUsers.adminName })
            }
        }
    }
}
