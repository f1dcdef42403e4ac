import ClientService
import Contracts
import Foundation
import Messaging
import WorkerKit

/// The three ways of doing the same work, each measured twice: a throughput run (`count`
/// messages published with confirms as fast as the broker takes them while the consumer runs;
/// first publish to last message done), then a latency run (`latencyCount` messages at a steady
/// `rate`; each message's time from publish to done).
struct Scenarios {
    let url: AMQPURL
    let count: Int
    let latencyCount: Int
    let rate: Int

    /// (a) The limit: publish with confirms, consume with prefetch 500 and an ack per 100, no work.
    func brokerRoundTrip() throws -> ScenarioResult {
        let queue = "bench.raw"
        let setup = try AMQPConnection(url: url)
        try setup.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        let consumer = try AMQPConnection(url: url)
        try consumer.setPrefetch(500)
        try consumer.consume(queue: queue)
        func run(_ count: Int, rate: Int?, prefix: String) throws -> (seconds: Double, latencies: [Double]) {
            let started = monotonicNanos()
            let publisher = BenchMessages.publish(url: url, exchange: "", routingKey: queue, count: count, rate: rate, prefix: prefix)
            var latencies: [Double] = []
            for n in 1...count {
                guard let delivery = try consumer.nextDelivery(timeout: .seconds(30)) else { throw AMQPError.timeout("bench consume") }
                if let ms = latencyMillis(sinceStampIn: delivery.message.messageID) { latencies.append(ms) }
                if n % 100 == 0 || n == count { try consumer.ack(delivery.deliveryTag, multiple: true) }
            }
            while publisher.isExecuting { usleep(1_000) }
            return (Double(monotonicNanos() - started) / 1e9, latencies)
        }
        let throughput = try run(count, rate: nil, prefix: "a")
        let latency = try run(latencyCount, rate: rate, prefix: "al")
        return ScenarioResult(name: "(a) broker round trip, no work", count: count, seconds: throughput.seconds,
                              latencies: latency.latencies)
    }

    /// (b) The product: client-service's order attribution with inbox and outbox commits, measured
    /// up to its `order.attributed` event coming back through the broker.
    func clientService(dataDirectory: URL) async throws -> ScenarioResult {
        let service = try await BenchWorker.start(ClientServiceDefinition(), url: url, dataDirectory: dataDirectory,
                                                  tapKey: "order.attributed")
        let tap = service.tap!

        func run(_ count: Int, rate: Int?, prefix: String) throws -> (seconds: Double, latencies: [Double]) {
            let started = monotonicNanos()
            let publisher = BenchMessages.publish(url: url, exchange: Exchanges.events, routingKey: "order.placed",
                                                  count: count, rate: rate, prefix: prefix)
            var latencies: [Double] = []
            for _ in 0..<count {
                guard let event = try tap.nextDelivery(timeout: .seconds(60)) else { throw AMQPError.timeout("order.attributed") }
                if let ms = latencyMillis(sinceStampIn: event.message.correlationID) { latencies.append(ms) }
            }
            while publisher.isExecuting { usleep(1_000) }
            return (Double(monotonicNanos() - started) / 1e9, latencies)
        }
        let throughput = try run(count, rate: nil, prefix: "b")
        let latency = try run(latencyCount, rate: rate, prefix: "bl")
        await service.stop()
        return ScenarioResult(name: "(b) client-service, inbox+outbox", count: count, seconds: throughput.seconds,
                              latencies: latency.latencies)
    }

    /// (c) The plainest alternative: Python pika + sqlite3, a commit and an ack per message.
    func pythonPika(script: URL, dataDirectory: URL) throws -> ScenarioResult {
        let queue = "bench.pika"
        let setup = try AMQPConnection(url: url)
        try setup.declareQueue(queue, arguments: ["x-queue-type": .string("quorum")])
        let database = dataDirectory.appendingPathComponent("pika.sqlite").path
        let started = monotonicNanos()
        let throughput = try runPython(script: script, queue: queue, count: count, database: database) {
            _ = BenchMessages.publish(url: url, exchange: "", routingKey: queue, count: count, rate: nil, prefix: "c")
        }
        let seconds = Double(monotonicNanos() - started) / 1e9 - throughput.startup
        let latency = try runPython(script: script, queue: queue, count: latencyCount, database: database) {
            _ = BenchMessages.publish(url: url, exchange: "", routingKey: queue, count: latencyCount, rate: rate, prefix: "cl")
        }
        return ScenarioResult(name: "(c) python pika + sqlite3", messagesPerSecond: Double(count) / seconds,
                              p50: latency.p50, p99: latency.p99)
    }

    private struct PythonResult: Decodable { var count: Int; var seconds: Double; var p50_ms: Double?; var p99_ms: Double? }

    /// Starts the Python consumer, publishes once it is consuming, and reads its figures.
    private func runPython(script: URL, queue: String, count: Int, database: String,
                           whenReady: () -> Void) throws -> (startup: Double, p50: Double, p99: Double) {
        let started = monotonicNanos()
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
        let startup = Double(monotonicNanos() - started) / 1e9
        whenReady()
        buffer.append(reader.readDataToEndOfFile())
        process.waitUntilExit()
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        let result = try JSONDecoder().decode(PythonResult.self, from: Data(lines.last!.utf8))
        return (startup, result.p50_ms ?? .nan, result.p99_ms ?? .nan)
    }
}
