import Messaging
import Testing

@Suite struct AMQPURLTests {
    @Test func readsEveryPartOfTheURL() throws {
        let url = try AMQPURL("amqps://shop:s%40cret@broker.local:5671/crm%2Fprod?heartbeat=15&cacertfile=/etc/ca.pem&verify=verify_none")
        #expect(url.tls)
        #expect(url.host == "broker.local")
        #expect(url.port == 5671)
        #expect(url.user == "shop")
        #expect(url.password == "s@cret")
        #expect(url.vhost == "crm/prod")
        #expect(url.heartbeatSeconds == 15)
        #expect(url.caCertFile == "/etc/ca.pem")
        #expect(!url.verifyPeer)
    }

    @Test func defaultsFollowTheRabbitMQURISpec() throws {
        let plain = try AMQPURL("amqp://127.0.0.1")
        #expect(plain.port == 5672 && plain.vhost == "/" && plain.user == "guest" && plain.heartbeatSeconds == 30)
        #expect(try AMQPURL("amqps://localhost").port == 5671)
        #expect(try AMQPURL("amqp://127.0.0.1:5672/%2f").vhost == "/")
    }

    @Test func thePasswordNeverShowsInTheDescription() throws {
        let url = try AMQPURL("amqp://ops:hunter2@127.0.0.1:5672/crm")
        #expect(!url.description.contains("hunter2"))
        #expect(url.description == "amqp://ops@127.0.0.1:5672/crm")
    }

    @Test func theConnectionStringRoundTrips() throws {
        let url = try AMQPURL("amqp://ops:p%40ss%3Aword@127.0.0.1:5673/test-1?heartbeat=10")
        #expect(try AMQPURL(url.connectionString) == url)
    }

    @Test func otherSchemesAreRefused() {
        #expect(throws: AMQPError.self) { try AMQPURL("http://127.0.0.1:5672") }
        #expect(throws: AMQPError.self) { try AMQPURL("not a url at all") }
    }
}
