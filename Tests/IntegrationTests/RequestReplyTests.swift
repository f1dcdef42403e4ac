import ClientService
import Contracts
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    @Suite struct RequestReplyTests {
        @Test func statusQueryIsAnsweredOverDirectReplyTo() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let status = try client.result(of: "client-service.status", as: ServiceStatus.self)
                #expect(status.service == "client-service")
                #expect(status.version == "0.1.0")
            }
        }

        @Test func aCommandNoServiceHandlesIsReturnedAtOnce() throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let client = try RequestClient(url: url, appID: "test")
            let started = ContinuousClock.now
            #expect(throws: AMQPError.self) {
                _ = try client.request(type: "nobody.handles", body: Data("{}".utf8), timeout: .seconds(5))
            }
            #expect(ContinuousClock.now - started < .seconds(2), "the return came at once, not after the timeout")
        }

        @Test func anEventNoServiceBindsIsKeptInTheUnroutedQueue() throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let publisher = try ConfirmedPublisher(url: url)
            try publisher.publish([AMQPMessage(body: Data("{}".utf8), messageID: "u1", type: "nobody.cares")])
            let info = try publisher.connection.declareQueue(Exchanges.unrouted, passive: true)
            #expect(info.messageCount == 1)
        }
    }
}
