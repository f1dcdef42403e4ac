import ArgumentParser
import ClientService
import Contracts
import Foundation
import Messaging
import SQLStore
import WorkerKit

/// `crm-bench clients`: 100,000 `order.placed` from 20,000 buyers through client-service (events/s
/// and publish-to-`order.attributed` latency), then `client.search` at 100,000 clients.
struct ClientsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients", abstract: "Order attribution per second and client.search latency of client-service.")

    @Option(help: "order.placed events.") var orders = 100_000
    @Option(help: "Distinct buyers among them.") var buyers = 20_000
    @Option(help: "Clients in the store when searching (the buyers plus created ones).") var clients = 100_000
    @Option(help: "client.search requests, one at a time.") var searches = 2_000
    @Flag(help: "Publish all orders before the service starts and time how fast it drains them (no publisher competing for the CPU).")
    var backlog = false

    func run() async throws {
        let setting = try BenchSetting(name: "clients")
        defer { setting.remove() }
        let vhost = setting.vhost
        var started = monotonicNanos()
        var publisher: Thread?
        let publish = {
            BenchMessages.publish(url: vhost.url, exchange: Exchanges.events, routingKey: "order.placed",
                                  count: orders, rate: nil, prefix: "o", buyers: buyers)
        }
        let service = try await BenchWorker.start(ClientServiceDefinition(), url: setting.url, dataDirectory: setting.dataDirectory,
                                                  tapKey: "order.attributed") {
            guard backlog else { return }
            let thread = publish()
            while !thread.isFinished { usleep(1_000) }
            report(String(format: "published a backlog of %d order.placed in %.1f s", orders, Double(monotonicNanos() - started) / 1e9))
            started = monotonicNanos()
        }
        let (worker, tap) = (service.worker, service.tap!)
        // Live: orders published with confirms as fast as the broker takes them while the service runs.
        if !backlog { publisher = publish() }
        var latencies: [Double] = []
        for _ in 0..<orders {
            guard let event = try tap.nextDelivery(timeout: .seconds(60)) else { throw AMQPError.timeout("order.attributed") }
            if let ms = latencyMillis(sinceStampIn: event.message.correlationID) { latencies.append(ms) }
        }
        while publisher.map({ !$0.isFinished }) == true { usleep(1_000) }
        let seconds = Double(monotonicNanos() - started) / 1e9
        latencies.sort()
        if backlog {
            report(String(format: "client-service: drained %d order.placed from %d buyers in %.1f s: %.0f events/s",
                          orders, buyers, seconds, Double(orders) / seconds))
        } else {
            report(String(format: "client-service: %d order.placed from %d buyers in %.1f s: %.0f events/s; publish to order.attributed p50 %.1f ms, p99 %.1f ms (under full load)",
                          orders, buyers, seconds, Double(orders) / seconds, percentile(latencies, 0.5), percentile(latencies, 0.99)))
        }

        try seedClients(worker, upTo: clients)
        let count = try worker.storage.read { db in try db.value("SELECT COUNT(*) FROM client", as: Int.self) ?? 0 }
        let client = try RequestClient(url: vhost.url, appID: "crm-bench")
        var searchTimes: [Double] = []
        for i in 0..<searches {
            let query: ClientSearch
            switch i % 4 {
            case 0: query = ClientSearch(storeID: "bench-store", query: "No \(i * 7 % buyers)")
            case 1: query = ClientSearch(storeID: "bench-store", query: String(format: "8 (912) %03d-%02d-%02d", i % 1000, (i / 10) % 100, i % 100))
            case 2: query = ClientSearch(storeID: "bench-store", phone: String(format: "+7912%07d", i * 13 % buyers))
            default: query = ClientSearch(storeID: "bench-store", query: "seeded\(i * 31 % max(1, clients - buyers))")
            }
            let body = try JSONCoding.encoder.encode(query)
            let sent = monotonicNanos()
            let reply = try client.request(type: "client.search", body: body)
            searchTimes.append(Double(monotonicNanos() - sent) / 1e6)
            guard try JSONCoding.decoder.decode(Reply.self, from: reply.body).ok else { throw AMQPError.timeout("a failed search") }
        }
        searchTimes.sort()
        report(String(format: "client.search over the broker at %d clients, %d searches: p50 %.2f ms, p99 %.2f ms",
                     count, searches, percentile(searchTimes, 0.5), percentile(searchTimes, 0.99)))
        await service.stop()
    }

    /// Creates the clients beyond the buyers straight through the service's processor and database.
    private func seedClients(_ worker: Worker, upTo total: Int) throws {
        var registry = HandlerRegistry()
        ClientServiceDefinition().registerHandlers(&registry)
        let processor = MessageProcessor(service: "client-service", registry: registry,
                                         schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()),
                                         topology: worker.topology, maxBodyBytes: 1 << 20,
            access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "bench"))
        let existing = try worker.storage.read { db in try db.value("SELECT COUNT(*) FROM client", as: Int.self) ?? 0 }
        for batch in stride(from: existing, to: total, by: 500) {
            let deliveries = try (batch..<min(batch + 500, total)).map { i -> Delivery in
                var fields = ClientFields()
                fields.firstName = "Seeded\(i - existing)"
                fields.lastName = "Client"
                fields.phone = String(format: "+7999%07d", i)
                let body = try JSONCoding.encoder.encode(ClientCreate(storeID: "bench-store", fields: fields))
                return Delivery(message: AMQPMessage(body: body, messageID: "seed-\(i)", type: "client.create", userID: DevelopmentUsers.adminName),
                                deliveryTag: UInt64(i + 1), redelivered: false, exchange: "", routingKey: "client.create")
            }
            _ = try worker.storage.write { db in try processor.process(deliveries, in: db) }
        }
    }
}
