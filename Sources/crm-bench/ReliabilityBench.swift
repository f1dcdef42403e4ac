import ArgumentParser
import Contracts
import Foundation
import Messaging
import ReliabilityService
import SQLStore
import WorkerKit

/// `crm-bench reliability`: 100,000 order events for 20,000 clients through reliability-service,
/// then `reliability.get` round trips at that size.
struct ReliabilityBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reliability", abstract: "Order events per second and reliability.get latency of reliability-service.")

    @Option(help: "Order events in all (three attributions for every two status changes).") var events = 100_000
    @Option(help: "Distinct clients.") var clients = 20_000
    @Option(help: "reliability.get requests, one at a time.") var queries = 2_000

    func run() async throws {
        let setting = try BenchSetting(name: "reliability")
        defer { setting.remove() }
        let vhost = setting.vhost
        let service = try await BenchWorker.start(ReliabilityServiceDefinition(secrets: .random(), outbound: .publicOnly), url: setting.url, dataDirectory: setting.dataDirectory)
        let worker = service.worker

        let orders = events * 3 / 5
        let started = monotonicNanos()
        let publisher = Thread { Self.publish(url: vhost.url, orders: orders, changes: events - orders, clients: clients) }
        publisher.start()
        while try worker.storage.read({ db in try db.value("SELECT COUNT(*) FROM inbox", as: Int.self) ?? 0 }) < events {
            try await Task.sleep(for: .milliseconds(20))
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        report(String(format: "reliability-service: %d order events for %d clients in %.1f s: %.0f events/s",
                     events, clients, seconds, Double(events) / seconds))

        let client = try RequestClient(url: vhost.url, appID: "crm-bench")
        var latencies: [Double] = []
        for i in 0..<queries {
            let body = try JSONCoding.encoder.encode(ReliabilityGet(storeID: "bench-store", clientID: "client-\(i * 7919 % clients)"))
            let sent = monotonicNanos()
            let reply = try client.request(type: "reliability.get", body: body)
            latencies.append(Double(monotonicNanos() - sent) / 1e6)
            guard (try JSONCoding.decoder.decode(Reply.self, from: reply.body)).ok else { throw AMQPError.timeout("a failed reply") }
        }
        latencies.sort()
        report(String(format: "reliability.get over the broker, %d queries at %d orders: p50 %.2f ms, p99 %.2f ms",
                     queries, orders, percentile(latencies, 0.5), percentile(latencies, 0.99)))
        let local = try serviceSide(worker: worker)
        report(String(format: "reliability.get in the service alone (one transaction, as the consumer runs it): p50 %.3f ms, p99 %.3f ms",
                     percentile(local, 0.5), percentile(local, 0.99)))
        await service.stop()
    }

    /// The same queries through the worker's MessageProcessor and database, without the broker.
    private func serviceSide(worker: Worker) throws -> [Double] {
        let definition = ReliabilityServiceDefinition(secrets: .random(), outbound: .publicOnly)
        var registry = HandlerRegistry()
        definition.registerHandlers(&registry)
        let processor = MessageProcessor(
            service: "reliability-service", registry: registry,
            schemas: try SchemaRegistry(directory: SchemaRegistry.defaultDirectory()), topology: worker.topology, maxBodyBytes: 1 << 20,
            access: AccessControl(policy: DevelopmentUsers.policy, serviceUser: "bench"))
        var latencies: [Double] = []
        for i in 0..<queries {
            let message = AMQPMessage(body: try JSONCoding.encoder.encode(ReliabilityGet(storeID: "bench-store", clientID: "client-\(i * 7919 % clients)")),
                                      messageID: "local-\(i)", type: "reliability.get", replyTo: "nobody",
                                      userID: DevelopmentUsers.adminName)
            let delivery = Delivery(message: message, deliveryTag: UInt64(i + 1), redelivered: false, exchange: "", routingKey: "reliability.get")
            let answers = MessageProcessor.Answers()
            let sent = monotonicNanos()
            _ = try worker.storage.write { db in try processor.process([delivery], in: db, answers: answers) }
            latencies.append(Double(monotonicNanos() - sent) / 1e6)
        }
        return latencies.sorted()
    }

    /// Attributions first (client i % clients), then status changes of the first orders, all with confirms.
    static func publish(url: AMQPURL, orders: Int, changes: Int, clients: Int) {
        do {
            let connection = try AMQPConnection(url: url)
            try connection.enableConfirms()
            let statuses: [OrderStatus] = [.completed, .delivered, .refused, .returned, .canceled, .shipped]
            for i in 0..<(orders + changes) {
                let (type, body): (String, Data)
                if i < orders {
                    (type, body) = ("order.attributed", try JSONCoding.encoder.encode(OrderAttributed(
                        storeID: "bench-store", orderID: "o-\(i)", clientID: "client-\(i % clients)", placedAt: Date(),
                        total: Money(amount: Int64(1_000 + i % 9_000), currency: "RUB"),
                        paymentMethod: i % 2 == 0 ? .cashOnDelivery : .card, matchedBy: .phone,
                        phone: "+7912" + zeroPadded(i % clients, 7))))
                } else {
                    let order = i - orders
                    (type, body) = ("order.status_changed", try JSONCoding.encoder.encode(OrderStatusChanged(
                        storeID: "bench-store", orderID: "o-\(order)", status: statuses[order % statuses.count], changedAt: Date())))
                }
                try connection.publish(exchange: Exchanges.events, routingKey: type, message: AMQPMessage(
                    body: body, messageID: "e-\(i)", type: type, appID: "crm-bench", timestamp: Date()))
                if i % 1_000 == 999 { try connection.waitForConfirms() }
            }
            try connection.waitForConfirms()
            connection.close()
        } catch {
            FileHandle.standardError.write(Data("publisher: \(error)\n".utf8))
        }
    }
}
