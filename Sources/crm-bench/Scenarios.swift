import ClientService
import Contracts
import Foundation
import Messaging
import WorkerKit

/// The three ways of doing the same work, each measured twice: throughput on a backlog of
/// `count` messages, then latency for `latencyCount` messages published at a steady `rate`.
struct Scenarios {
    let url: AMQPURL
    let count: Int
    let latencyCount: Int
    let rate: Int

    /// (a) The limit: the broker round trip with no work, consume with prefetch 500 and an ack per 100.
    func brokerRoundTrip() throws -> ScenarioResult {
        let queue = "bench.raw"
        let setup = try AMQPConnection(url: url)
        try setup.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        try BenchMessages.publishBacklog(url: url, exchange: "", routingKey: queue, count: count, prefix: "a")
        let throughput = try consume(queue: queue, count: count)
        let publisher = BenchMessages.publishAtRate(url: url, exchange: "", routingKey: queue, count: latencyCount, rate: rate, prefix: "al")
        let latency = try consume(queue: queue, count: latencyCount)
        while publisher.isExecuting { usleep(1_000) }
        return ScenarioResult(name: "(a) broker round trip, no work",
                              messagesPerSecond: Double(count) / throughput.seconds,
                              p50: percentile(latency.latencies.sorted(), 0.5), p99: percentile(latency.latencies.sorted(), 0.99))
    }

    private func consume(queue: String, count: Int) throws -> (seconds: Double, latencies: [Double]) {
        let connection = try AMQPConnection(url: url)
        try connection.setPrefetch(500)
        try connection.consume(queue: queue)
        var latencies: [Double] = []
        var first: UInt64?
        for n in 1...count {
            guard let delivery = try connection.nextDelivery(timeout: .seconds(30)) else { throw AMQPError.timeout("bench consume") }
            let now = monotonicNanos()
            if first == nil { first = now }
            if let ms = latencyMillis(sinceStampIn: delivery.message.messageID, now: now) { latencies.append(ms) }
            if n % 100 == 0 || n == count { try connection.ack(delivery.deliveryTag, multiple: true) }
        }
        let seconds = Double(monotonicNanos() - first!) / 1e9
        connection.close()
        return (seconds, latencies)
    }

    /// (b) The product: client-service's order attribution with inbox and outbox commits, measured
    /// up to its `order.attributed` event coming back through the broker.
    func clientService(dataDirectory: URL) async throws -> ScenarioResult {
        let config = WorkerConfig(amqpURL: url, dataDirectory: dataDirectory,
                                  schemasDirectory: SchemaRegistry.defaultDirectory())
        let worker = try Worker(ClientServiceDefinition(), config: config)
        let tap = try AMQPConnection(url: url)
        try worker.topology.declare(on: tap)
        let tapQueue = try tap.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
        try tap.bindQueue(tapQueue, exchange: Exchanges.events, routingKey: "order.attributed")
        try tap.consume(queue: tapQueue, noAck: true)
        try BenchMessages.publishBacklog(url: url, exchange: Exchanges.events, routingKey: "order.placed", count: count, prefix: "b")

        let run = Task { try await worker.run(signals: []) }
        let started = monotonicNanos()
        _ = try collect(from: tap, count: count)
        let seconds = Double(monotonicNanos() - started) / 1e9
        let publisher = BenchMessages.publishAtRate(url: url, exchange: Exchanges.events, routingKey: "order.placed",
                                                    count: latencyCount, rate: rate, prefix: "bl")
        let latencies = try collect(from: tap, count: latencyCount)
        while publisher.isExecuting { usleep(1_000) }
        run.cancel()
        _ = try? await run.value
        return ScenarioResult(name: "(b) client-service, inbox+outbox", count: count, seconds: seconds, latencies: latencies)
    }

    private func collect(from tap: AMQPConnection, count: Int) throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0..<count {
            guard let event = try tap.nextDelivery(timeout: .seconds(60)) else { throw AMQPError.timeout("order.attributed") }
            if let ms = latencyMillis(sinceStampIn: event.message.correlationID) { latencies.append(ms) }
        }
        return latencies
    }

    /// (c) The plainest alternative: Python pika + sqlite3, a commit and an ack per message.
    func pythonPika(script: URL, dataDirectory: URL) throws -> ScenarioResult {
        let queue = "bench.pika"
        let setup = try AMQPConnection(url: url)
        try setup.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        try BenchMessages.publishBacklog(url: url, exchange: "", routingKey: queue, count: count, prefix: "c")
        let database = dataDirectory.appendingPathComponent("pika.sqlite").path
        let throughput = try runPython(script: script, queue: queue, count: count, database: database) {}
        let latency = try runPython(script: script, queue: queue, count: latencyCount, database: database) {
            _ = BenchMessages.publishAtRate(url: url, exchange: "", routingKey: queue, count: latencyCount, rate: rate, prefix: "cl")
        }
        return ScenarioResult(name: "(c) python pika + sqlite3", messagesPerSecond: Double(count) / throughput.seconds,
                              p50: latency.p50, p99: latency.p99)
    }

    private struct PythonResult: Decodable { var count: Int; var seconds: Double; var p50_ms: Double?; var p99_ms: Double? }

    private func runPython(script: URL, queue: String, count: Int, database: String,
                           whenReady: () -> Void) throws -> (seconds: Double, p50: Double, p99: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, url.connectionString, queue, String(count), database]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let reader = output.fileHandleForReading
        var buffer = Data()
        while !String(decoding: buffer, as: UTF8.self).contains("ready\n") {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { throw AMQPError.timeout("python consumer did not start") }
            buffer.append(chunk)
        }
        whenReady()
        buffer.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        let result = try JSONDecoder().decode(PythonResult.self, from: Data(lines.last!.utf8))
        return (result.seconds, result.p50_ms ?? .nan, result.p99_ms ?? .nan)
    }
}
