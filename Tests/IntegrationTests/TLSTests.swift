import ClientService
import Contracts
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// The broker's AMQPS listener (server authentication only, scripts/lib/tls.sh): publishing,
    /// consuming and a worker over TLS, and a client that does not trust the CA is refused.
    @Suite(.enabled(if: TestBroker.environment["AMQPS_URL"] != nil, "needs AMQPS_URL (scripts/test sets it)"))
    struct TLSTests {
        /// A fresh vhost (made over the plain port) and the same vhost over `AMQPS_URL`.
        static func makeTLSVhost() throws -> (plain: AMQPURL, tls: AMQPURL) {
            let plain = try TestBroker.makeVhost()
            do {
                let tls = try AMQPURL(TestBroker.environment["AMQPS_URL"]!).withVhost(plain.vhost)
                return (plain, tls)
            } catch {
                TestBroker.deleteVhost(plain)
                throw error
            }
        }

        /// `ssl` of every connection to `vhost`, as rabbitmqctl reports it.
        static func sslFlags(vhost: String) throws -> [String] {
            try TestBroker.ctl("list_connections", "vhost", "ssl")
                .split(separator: "\n")
                .map { $0.split(separator: "\t").map(String.init) }
                .filter { $0.count == 2 && $0[0] == vhost }
                .map { $0[1] }
        }

        @Test func confirmedPublishAndConsumeOverTLS() throws {
            let (plain, url) = try Self.makeTLSVhost()
            defer { TestBroker.deleteVhost(plain) }
            #expect(url.tls)

            let tap = try EventTap(url: url, keys: ["tls.probe"])
            let publisher = try ConfirmedPublisher(url: url)
            // Bodies of several TLS records (16 KB each) as well as small ones.
            let messages = (0..<50).map { i in
                AMQPMessage(body: Data(repeating: UInt8(i), count: i.isMultiple(of: 10) ? 100_000 : 64),
                            messageID: "tls-\(i)", type: "tls.probe")
            }
            try publisher.publish(messages)

            let received = try tap.collect(messages.count, timeout: .seconds(15))
            #expect(received.map(\.messageID) == messages.map(\.messageID))
            #expect(received.map(\.body) == messages.map(\.body))

            // Both connections of this vhost really are TLS ones.
            let flags = try Self.sslFlags(vhost: url.vhost)
            #expect(flags == ["true", "true"], "ssl of the vhost's connections: \(flags)")
        }

        @Test func workerAnswersAStatusQueryOverTLS() async throws {
            let (plain, url) = try Self.makeTLSVhost()
            defer { TestBroker.deleteVhost(plain) }
            try await RunningWorker.with(ClientServiceDefinition(), url: url) { _ in
                let client = try RequestClient(url: url, appID: "test")
                let status = try client.result(of: "client-service.status", as: ServiceStatus.self)
                #expect(status.service == "client-service")
                let flags = try Self.sslFlags(vhost: url.vhost)
                #expect(!flags.isEmpty && flags.allSatisfy { $0 == "true" }, "ssl of the vhost's connections: \(flags)")
            }
        }

        @Test func aClientThatDoesNotTrustTheCAIsRefused() throws {
            let (plain, url) = try Self.makeTLSVhost()
            defer { TestBroker.deleteVhost(plain) }
            var untrusting = url
            untrusting.caCertFile = nil
            #expect(untrusting.verifyPeer)
            let error = #expect(throws: AMQPError.self) { _ = try AMQPConnection(url: untrusting) }
            // rabbitmq-c says "SSL peer cert verification failed".
            if case .connectFailed(let why) = error {
                #expect(why.contains("verification failed"), "\(why)")
            } else {
                Issue.record("expected connectFailed, got \(String(describing: error))")
            }

            // The same client connects once it stops verifying: what failed above was the trust.
            var unverifying = untrusting
            unverifying.verifyPeer = false
            let connection = try AMQPConnection(url: unverifying)
            connection.close()
        }
    }
}
