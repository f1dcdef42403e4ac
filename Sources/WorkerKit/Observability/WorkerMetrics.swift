import Prometheus

/// The worker's Prometheus metrics, served on `/metrics`.
public final class WorkerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let consumed: Counter
    let acked: Counter
    let duplicates: Counter
    let retried: Counter
    let rejected: Counter
    /// Refused for who sent them (answered or dead-lettered): a shop writing for another store, a forged event.
    let unauthorized: Counter
    let published: Counter
    let reconnects: Counter
    let outboxDepth: Gauge
    /// Outbox rows the broker refused, moved aside (crmctl outbox parked).
    let parked: Counter
    let parkedDepth: Gauge
    let handlerSeconds: DurationHistogram
    private let service: String

    public init(service: String) {
        self.service = service
        let labels = [("service", service)]
        consumed = registry.makeCounter(name: "crm_messages_consumed_total", labels: labels)
        acked = registry.makeCounter(name: "crm_messages_acked_total", labels: labels)
        duplicates = registry.makeCounter(name: "crm_messages_duplicate_total", labels: labels)
        retried = registry.makeCounter(name: "crm_messages_retried_total", labels: labels)
        rejected = registry.makeCounter(name: "crm_messages_rejected_total", labels: labels)
        unauthorized = registry.makeCounter(name: "crm_messages_unauthorized_total", labels: labels)
        published = registry.makeCounter(name: "crm_outbox_published_total", labels: labels)
        reconnects = registry.makeCounter(name: "crm_broker_reconnects_total", labels: labels)
        outboxDepth = registry.makeGauge(name: "crm_outbox_depth", labels: labels)
        parked = registry.makeCounter(name: "crm_outbox_parked_total", labels: labels)
        parkedDepth = registry.makeGauge(name: "crm_outbox_parked", labels: labels)
        handlerSeconds = registry.makeDurationHistogram(
            name: "crm_handler_duration_seconds", labels: labels,
            buckets: [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
                      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100), .seconds(1)])
    }

    /// Messages waiting in a dead-letter queue (or crm.unrouted), as the broker counts them.
    func deadLetterDepth(_ queue: String) -> Gauge {
        registry.makeGauge(name: "crm_dead_letter_depth", labels: [("service", service), ("queue", queue)])
    }

    func deadLettered(_ reason: DeadLetterReason) {
        registry.makeCounter(name: "crm_messages_dead_lettered_total",
                             labels: [("service", service), ("reason", reason.rawValue)]).increment()
    }

    func record(_ outcomes: [MessageProcessor.Outcome]) {
        consumed.increment(by: Int64(outcomes.count))
        acked.increment(by: Int64(outcomes.count))
        for outcome in outcomes {
            switch outcome {
            case .handled(_, let seconds): handlerSeconds.record(.nanoseconds(Int64(seconds * 1e9)))
            case .rejected(_, let code):
                rejected.increment()
                if code == .unauthorized { unauthorized.increment() }
            case .duplicate: duplicates.increment()
            case .retried: retried.increment()
            case .deadLettered(let reason):
                deadLettered(reason)
                if reason == .unauthorized { unauthorized.increment() }
            }
        }
    }
}
