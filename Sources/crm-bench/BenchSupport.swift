import Contracts
import Foundation
import Messaging

/// CLOCK_MONOTONIC in nanoseconds: the clock Python's `time.monotonic_ns` reads too, so send and
/// receive times compare across the benchmark's processes.
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Milliseconds since the send time stamped as the last `-` part of a message id.
func latencyMillis(sinceStampIn id: String?, now: UInt64 = monotonicNanos()) -> Double? {
    guard let stamp = id?.split(separator: "-").last.flatMap({ UInt64($0) }), stamp <= now else { return nil }
    return Double(now - stamp) / 1e6
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// The same messages for every scenario: `order.placed` from a pool of buyers.
enum BenchMessages {
    static let buyers = 20_000

    static func order(_ i: Int, prefix: String, messageID: String, buyers: Int = buyers, userID: String? = nil) -> AMQPMessage {
        let body = OrderPlaced(
            storeID: "bench-store", orderID: "\(prefix)-\(i)", placedAt: Date(),
            customer: OrderCustomer(firstName: "Buyer", lastName: "No \(i % buyers)",
                                    phone: "+7912" + zeroPadded(i % buyers, 7)),
            total: Money(amount: Int64(1_000 + i % 50_000), currency: "RUB"), paymentMethod: .cashOnDelivery)
        // Written by hand (`JSONWritable`): the load generator shares the two cores with the service.
        return AMQPMessage(body: body.jsonData(), messageID: messageID, type: "order.placed",
                           appID: "crm-bench", userID: userID, timestamp: Date())
    }

    /// Publishes `count` messages on a thread of its own, each stamped with its send time:
    /// at `rate` per second for a latency run, or as fast as batched confirms allow (nil).
    static func publish(url: AMQPURL, exchange: String, routingKey: String, count: Int, rate: Int?,
                        prefix: String, buyers: Int = buyers) -> Thread {
        let thread = Thread {
            do {
                let connection = try AMQPConnection(url: url)
                try connection.enableConfirms()
                let start = monotonicNanos()
                let confirmEvery = rate == nil ? 1_000 : 100
                for i in 0..<count {
                    if let rate {
                        let due = start + UInt64(i) * 1_000_000_000 / UInt64(rate)
                        while monotonicNanos() < due { usleep(100) }
                    }
                    let id = "\(prefix)-\(i)-\(monotonicNanos())"
                    try connection.publish(exchange: exchange, routingKey: routingKey,
                                           message: order(i, prefix: prefix, messageID: id, buyers: buyers))
                    if i % confirmEvery == confirmEvery - 1 { try connection.waitForConfirms() }
                }
                try connection.waitForConfirms()
                connection.close()
            } catch {
                FileHandle.standardError.write(Data("publisher: \(error)\n".utf8))
            }
        }
        thread.start()
        return thread
    }
}

struct ScenarioResult {
    var name: String
    var messagesPerSecond: Double
    var p50: Double
    var p99: Double

    init(name: String, count: Int, seconds: Double, latencies: [Double]) {
        self.name = name
        messagesPerSecond = Double(count) / seconds
        let sorted = latencies.sorted()
        p50 = percentile(sorted, 0.50)
        p99 = percentile(sorted, 0.99)
    }

    init(name: String, messagesPerSecond: Double, p50: Double, p99: Double) {
        self.name = name
        self.messagesPerSecond = messagesPerSecond
        self.p50 = p50
        self.p99 = p99
    }
}

/// Prints a line of results at once, also when the output is a pipe or a file.
func report(_ line: String) {
    print(line)
    fflush(nil)
}

/// `n` in decimal with leading zeros to `width` digits (the load generator's phones), without
/// the cost of `String(format:)`.
func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// The table of results every benchmark prints: its header and one row per scenario.
func header() -> String {
    "scenario".padding(toLength: 36, withPad: " ", startingAt: 0) + "     msg/s    p50 ms    p99 ms"
}

func row(_ r: ScenarioResult) -> String {
    r.name.padding(toLength: 36, withPad: " ", startingAt: 0)
        + String(format: "%10.0f %9.2f %9.2f", r.messagesPerSecond, r.p50, r.p99)
}
