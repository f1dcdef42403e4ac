import Contracts
import Foundation
import Messaging

/// The measured runs against the running service: store `bench-a` sends over the SMTP sink and
/// has a webhook to the quick receiver; store `bench-b`'s webhook goes to the slow one. Every
/// message carries its send time (the recipient's local part, or the event's message id ends in
/// it), read back from the `notification.delivered` / `notification.failed` the tap receives.
struct NotificationsRun {
    let url: AMQPURL
    private let tap: AMQPConnection

    init(url: AMQPURL, smtpPort: Int, quickPort: Int, slowPort: Int) throws {
        self.url = url
        let client = try RequestClient(url: url, appID: "crm-bench")
        defer { client.connection.close() }
        func ask<T: Encodable>(_ type: String, _ body: T) throws {
            let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(type: type, body: JSONCoding.encoder.encode(body)).body)
            guard reply.ok else { throw AMQPError.timeout("\(type) failed: \(String(describing: reply.error))") }
        }
        try ask("notification.settings.update", NotificationSettingsUpdate(
            storeID: "bench-a", senderAddress: "shop@bench.example.com", senderName: "Bench shop",
            smtpURL: "smtp://127.0.0.1:\(smtpPort)", recipientHourlyLimit: 1_000))
        try ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "bench-a", url: "http://127.0.0.1:\(quickPort)/fast", eventTypes: ["order.status_changed"]))
        try ask("notification.webhook.add", NotificationWebhookAdd(
            storeID: "bench-b", url: "http://127.0.0.1:\(slowPort)/slow", eventTypes: ["order.status_changed"]))
        tap = try AMQPConnection(url: url)
        try ServiceTopology.declareShared(on: tap)
        let queue = try tap.declareQueue("", durable: false, exclusive: true, autoDelete: true).name
        for key in ["notification.delivered", "notification.failed"] {
            try tap.bindQueue(queue, exchange: Exchanges.events, routingKey: key)
        }
        try tap.consume(queue: queue, noAck: true)
    }

    /// `count` sends of `order_shipped` to distinct addresses, as fast as confirms allow (`rate`
    /// nil) or paced; timed from the first publish to the last outcome.
    func emails(count: Int, rate: Int?, prefix: String) throws -> ScenarioResult {
        let started = monotonicNanos()
        let publisher = publish(count: count, rate: rate) { i, stamp in
            let send = NotificationSend(storeID: "bench-a", channel: .email, recipient: "\(prefix)\(i)-\(stamp)@bench.example.com",
                                        template: "order_shipped", params: ["first_name": .string("Анна"), "order_id": .string("\(1000 + i)")])
            return (Exchanges.requests, "notification.send", try JSONCoding.encoder.encode(send), "\(prefix)-\(i)-\(stamp)")
        }
        var latencies: [Double] = []
        var failed = 0
        try collect { outcome, now in
            guard outcome.channel == .email, outcome.recipient.hasPrefix(prefix) else { return false }
            if outcome.reason != nil { failed += 1 }
            let local = outcome.recipient.split(separator: "@").first.map(String.init)
            if let ms = latencyMillis(sinceStampIn: local, now: now) { latencies.append(ms) }
            return latencies.count + failed >= count
        }
        let seconds = Double(monotonicNanos() - started) / 1e9
        publisher.join()
        if failed > 0 { report("warning: \(failed) of the e-mails ended as notification.failed") }
        let name = rate.map { "service, e-mails paced at \($0)/s" } ?? "service, e-mails as fast as taken"
        return ScenarioResult(name: name, count: count, seconds: seconds, latencies: latencies)
    }

    /// `count` events of store A and `slowCount` of store B, spread evenly among them; each
    /// store's rate (its events over the time to its last outcome) and latencies.
    func webhooks(count: Int, slowCount: Int) throws -> (ScenarioResult, ScenarioResult) {
        let total = count + slowCount
        let every = max(1, total / max(1, slowCount))
        let started = monotonicNanos()
        let publisher = publish(count: total, rate: nil) { i, stamp in
            let slow = slowCount > 0 && i % every == every / 2 && i / every < slowCount
            let store = slow ? "bench-b" : "bench-a"
            let event = OrderStatusChanged(storeID: store, orderID: "o-\(i)", status: .shipped, changedAt: Date())
            return (Exchanges.events, "order.status_changed", try JSONCoding.encoder.encode(event), "w\(slow ? "b" : "a")-\(i)-\(stamp)")
        }
        var quick: [Double] = [], slow: [Double] = []
        var quickEnd = started, slowEnd = started, quickFailed = 0, slowFailed = 0
        try collect { outcome, now in
            guard outcome.channel == .webhook, let id = outcome.eventID else { return false }
            let isSlow = id.hasPrefix("wb-")
            if outcome.reason != nil { if isSlow { slowFailed += 1 } else { quickFailed += 1 } }
            let ms = latencyMillis(sinceStampIn: id, now: now) ?? .nan
            if isSlow { slow.append(ms); slowEnd = now } else { quick.append(ms); quickEnd = now }
            return quick.count + slow.count >= total
        }
        publisher.join()
        if quickFailed + slowFailed > 0 { report("warning: \(quickFailed) + \(slowFailed) webhooks ended as notification.failed") }
        return (ScenarioResult(name: "service, webhooks of store A (quick)", count: quick.count,
                               seconds: Double(quickEnd - started) / 1e9, latencies: quick),
                ScenarioResult(name: "service, webhooks of store B (2 s)", count: slow.count,
                               seconds: Double(slowEnd - started) / 1e9, latencies: slow))
    }

    /// Reads outcomes until `take` says the run is complete; a minute without one ends it.
    private func collect(_ take: (NotificationOutcome, UInt64) -> Bool) throws {
        while true {
            guard let delivery = try tap.nextDelivery(timeout: .seconds(60)) else {
                throw AMQPError.timeout("no notification.delivered for a minute")
            }
            let now = monotonicNanos()
            let outcome = try JSONCoding.decoder.decode(NotificationOutcome.self, from: delivery.message.body)
            if take(outcome, now) { return }
        }
    }

    /// Publishes `count` messages on a thread of its own with confirms (every 1,000 at full speed).
    private func publish(count: Int, rate: Int?,
                         _ make: @escaping @Sendable (Int, UInt64) throws -> (String, String, Data, String)) -> PublisherThread {
        let url = self.url
        return PublisherThread {
            let connection = try AMQPConnection(url: url)
            try connection.enableConfirms()
            let start = monotonicNanos()
            for i in 0..<count {
                if let rate {
                    let due = start + UInt64(i) * 1_000_000_000 / UInt64(rate)
                    while monotonicNanos() < due { usleep(100) }
                }
                let (exchange, type, body, id) = try make(i, monotonicNanos())
                try connection.publish(exchange: exchange, routingKey: type, message: AMQPMessage(
                    body: body, messageID: id, type: type, appID: "crm-bench", timestamp: Date()))
                if i % 1_000 == 999 { try connection.waitForConfirms() }
            }
            try connection.waitForConfirms()
            connection.close()
        }
    }
}

/// A thread that runs `body` once; `join` waits for it.
final class PublisherThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Void) {
        let done = self.done
        Thread {
            do { try body() } catch { FileHandle.standardError.write(Data("publisher: \(error)\n".utf8)) }
            done.signal()
        }.start()
    }

    func join() { done.wait() }
}
