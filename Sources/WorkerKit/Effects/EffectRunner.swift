import Contracts
import Foundation
import SQLStore
import Logging
import Messaging
import Synchronization

/// Performs the effects handlers recorded, on a thread of its own, after their transaction
/// committed: so the consumer never waits on a network call, and a batch rolled back and run again
/// never repeats one. Each call's address is checked (`OutboundAddress`), its host's circuit
/// asked, a fault retried with exponential backoff and jitter up to the effect's attempts; then
/// the result goes to the service's own work queue through the outbox as `<kind>.completed`,
/// handled like any other message. Woken by the consumer after each commit.
public final class EffectRunner: Sendable {
    let database: SQLStorage
    /// On PostgreSQL one replica at a time runs the effects (its calls then write through the pool).
    let election: JobStorage
    let registry: EffectRegistry
    let settings: EffectSettings
    let outbound: OutboundPolicy
    let workQueue: String
    let breaker: CircuitBreaker
    let retention: Duration
    let wakeup = DispatchSemaphore(value: 0)
    let relayWakeup: DispatchSemaphore?
    let logger: Logger
    let stopRequested = SharedFlag()
    private let inFlight = Mutex<Set<Int64>>([])
    /// Calls under way per server, `host:port` (`EffectSettings.perHostConcurrency`).
    private let hostCalls = Mutex<[String: Int]>([:])
    private let pruning = Throttle(every: .seconds(60))

    public init(storage: SQLStorage, registry: EffectRegistry, settings: EffectSettings, outbound: OutboundPolicy,
                workQueue: String, retention: Duration = .seconds(7 * 24 * 3600), relayWakeup: DispatchSemaphore? = nil,
                logger: Logger = Logger(label: "effects")) {
        self.database = storage
        election = JobStorage(storage, job: "effect-runner")
        self.registry = registry
        self.settings = settings
        self.outbound = outbound
        self.workQueue = workQueue
        self.retention = retention
        self.relayWakeup = relayWakeup
        self.logger = logger
        breaker = CircuitBreaker(threshold: settings.breakerThreshold, coolDown: settings.breakerCoolDown)
    }

    func run() {
        while !stopRequested.isSet {
            do {
                try startDue()
                try pruneIfDue()
            } catch {
                logger.warning("effect runner cannot read its effects", metadata: ["error": "\(error)"])
            }
            _ = wakeup.wait(timeout: .now() + nextWait())
            while wakeup.wait(timeout: .now()) == .success {}  // one look for many commits
        }
        // Calls under way finish (each is bounded by its timeout) and record their result.
        let deadline = ContinuousClock.now + .seconds(15)
        while !inFlight.withLock({ $0.isEmpty }), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        election.resign()
        logger.info("effect runner stopped")
    }

    /// Performs every effect due now and returns when all are done: for tests and tools that
    /// drive the runner by hand (the thread starts them one by one as slots free up).
    @discardableResult
    public func performDue(now: Date = Date()) throws -> Int {
        let due = try database.read { db in try EffectTable.due(db, now: now, limit: 1000) }
        DispatchQueue.concurrentPerform(iterations: due.count) { index in perform(due[index]) }
        return due.count
    }

    private func startDue() throws {
        guard try election.lead() else { return }  // another replica runs the effects
        let busy = inFlight.withLock { $0 }
        let free = settings.concurrency - busy.count
        guard free > 0 else { return }
        let due = try database.read { db in try EffectTable.due(db, now: Date(), limit: free + busy.count) }
        for effect in due.filter({ !busy.contains($0.id) }).prefix(free) {
            inFlight.withLock { _ = $0.insert(effect.id) }
            // A thread per call: calls block in libcurl, and a concurrent dispatch queue runs on as
            // many threads as there are cores, so two slow calls on two cores held back every other
            // partner's call (SlowPartnerTests, in CI).
            Thread.detachNewThread { [self] in
                perform(effect)
                inFlight.withLock { _ = $0.remove(effect.id) }
                wakeup.signal()
            }
        }
    }

    /// How long to sleep: until the next retry is due, at most a second (a new effect wakes us).
    private func nextWait() -> DispatchTimeInterval {
        guard let next = try? database.read(EffectTable.nextDue) else { return .seconds(1) }
        let ms = Int((next.timeIntervalSinceNow * 1000).rounded(.up))
        return .milliseconds(min(1000, max(5, ms)))
    }

    private func pruneIfDue() throws {
        guard pruning.isDue() else { return }
        let cutoff = Date().addingTimeInterval(-retention.inSeconds)
        _ = try database.write { db in try EffectTable.prune(db, before: cutoff) }
    }

    /// One attempt; then the result is recorded, or the effect rescheduled.
    func perform(_ effect: PendingEffect) {
        let attempts = effect.attempts + 1
        do {
            switch attempt(effect) {
            case .answered(let result):
                try finish(effect, attempts: attempts, result: result, failure: nil)
            case .failed(let reason):
                try finish(effect, attempts: attempts, result: nil, failure: reason)
            case .fault(let reason, let notBefore) where attempts < effect.maxAttempts:
                let delay = max(settings.backoff(after: attempts), notBefore ?? .zero)
                try database.write { db in
                    try EffectTable.reschedule(db, id: effect.id, attempts: attempts, at: Date() + delay.inSeconds, error: reason)
                }
            case .fault(let reason, _):
                try finish(effect, attempts: attempts, result: nil, failure: reason)
            case .waiting(let reason):
                // Its host is busy with other calls: due again soon, with no attempt used.
                let delay = Double.random(in: 0.25...0.75)
                try database.write { db in
                    try EffectTable.reschedule(db, id: effect.id, attempts: effect.attempts, at: Date() + delay, error: reason)
                }
            }
        } catch {
            // The database refused the record: the effect stays due and is tried again.
            logger.error("cannot record an effect's outcome", metadata: ["effect_id": "\(effect.id)", "error": "\(error)"])
        }
    }

    private enum Outcome {
        case answered(JSONValue)
        case failed(String)
        case fault(String, notBefore: Duration?)
        case waiting(String)
    }

    private func attempt(_ effect: PendingEffect) -> Outcome {
        guard let performer = registry.performer(for: effect.kind) else { return .failed("no performer for \(effect.kind)") }
        let call: EffectCall
        do {
            call = try database.read { db in try performer.prepare(effect, db) }
        } catch let failure as EffectFailure {
            return .failed(failure.reason)
        } catch where SQLConflict.isDatabaseError(error) {
            return .fault("the call's settings could not be read", notBefore: nil)
        } catch {
            return .failed("the call could not be prepared")
        }
        let target: OutboundTarget
        do {
            // The performer chose the client, and so the scheme; the policy still decides where it may go.
            target = try OutboundAddress.check(call.url, policy: outbound,
                                               schemes: OutboundAddress.webSchemes.union(OutboundAddress.mailSchemes))
        } catch {
            return .failed("the address is refused: \(error)")
        }
        // Slots per server (host and port): two services on one machine are two partners.
        let server = "\(target.host):\(target.port)"
        guard takeSlot(server) else {
            return .waiting("\(settings.perHostConcurrency) calls to \(server) are under way")
        }
        defer { hostCalls.withLock { $0[server, default: 1] -= 1 } }
        if let wait = breaker.permit(target.host) {
            let reason = wait == .zero ? "the service failed repeatedly; a trial call to \(target.host) is under way (circuit open)"
                : "the service failed repeatedly; calls to \(target.host) are paused for \(wait.wholeSecondsUp) s more (circuit open)"
            return .fault(reason, notBefore: wait)
        }
        switch call.perform(target) {
        case .answered(let result):
            breaker.recordSuccess(target.host)
            return .answered(result)
        case .fault(let reason):
            breaker.recordFailure(target.host)
            return .fault(reason, notBefore: nil)
        case .failed(let reason):
            breaker.recordSuccess(target.host)
            return .failed(reason)
        }
    }

    /// One of the server's slots, if one is free.
    private func takeSlot(_ server: String) -> Bool {
        hostCalls.withLock { calls in
            guard calls[server, default: 0] < settings.perHostConcurrency else { return false }
            calls[server, default: 0] += 1
            return true
        }
    }

    private func finish(_ effect: PendingEffect, attempts: Int, result: JSONValue?, failure: String?) throws {
        let now = Date()
        let completed = EffectCompleted<JSONValue, JSONValue>(
            effectID: effect.id, kind: effect.kind, attempts: attempts, payload: try JSONValue.parse(effect.payload),
            result: result, failure: failure, completedAt: now)
        let message = AMQPMessage(body: try JSONCoding.encoder.encode(completed), messageID: "effect-\(effect.id)-completed",
                                  type: EffectRegistry.completionType(of: effect.kind), timestamp: now)
        try database.write { db in
            try EffectTable.complete(db, id: effect.id, attempts: attempts, error: failure, now: now)
            // Straight to the work queue (default exchange): the result concerns this service alone.
            try OutboxMessage.append(db, exchange: "", routingKey: workQueue, message: message, createdAt: now)
        }
        relayWakeup?.signal()
    }
}
