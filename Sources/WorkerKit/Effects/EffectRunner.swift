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
/// handled like any other message. Woken by the consumer after each commit. The database is
/// touched once per turn, not per call: the outcomes of the calls that ended meanwhile are written
/// and the due effects read and prepared in one transaction (`EffectRunner+Turn.swift`,
/// `EffectRunner+Recording.swift`); an effect stays claimed (`inFlight`) until its outcome is
/// written, so it is never called twice by this process.
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
    /// How long a turn may wait for more calls to end (`gather()`).
    let gatherFor = DispatchTimeInterval.milliseconds(1)
    let relayWakeup: DispatchSemaphore?
    let logger: Logger
    let stopRequested = SharedFlag()
    /// Effects started and not yet recorded (the call under way, or ended and waiting in `finished`).
    let inFlight = Mutex<Set<Int64>>([])
    /// Calls under way (threads), at most `settings.concurrency`.
    let callsUnderWay = Mutex(0)
    /// Calls that ended, waiting for the runner thread to record them together.
    let finished = Mutex<[(PendingEffect, Outcome)]>([])
    /// Calls under way per server, `host:port` (`EffectSettings.perHostConcurrency`).
    let hostCalls = Mutex<[String: Int]>([:])
    private let pruning = Throttle(every: .seconds(60))
    /// The threads calls run on, kept between calls.
    let callThreads = CallThreads()
    /// How many due effects a turn reads (`EffectReadBudget`).
    let readBudget: EffectReadBudget
    /// Each address's server and checked target, remembered where they cannot change.
    let addresses: EffectAddresses
    /// The worker's: results handled in the transaction that records them (`EffectResultHandling`).
    let results: EffectResultHandling?

    public init(storage: SQLStorage, registry: EffectRegistry, settings: EffectSettings, outbound: OutboundPolicy,
                workQueue: String, retention: Duration = .seconds(7 * 24 * 3600), relayWakeup: DispatchSemaphore? = nil,
                results: EffectResultHandling? = nil, logger: Logger = Logger(label: "effects")) {
        self.results = results
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
        readBudget = EffectReadBudget(perHost: settings.perHostConcurrency)
        addresses = EffectAddresses(outbound)
    }

    func run() {
        while !stopRequested.isSet {
            var wait = DispatchTimeInterval.seconds(1)
            do {
                wait = try turn()
                try pruneIfDue()
            } catch {
                logger.warning("effect runner cannot read its effects", metadata: ["error": "\(error)"])
            }
            _ = wakeup.wait(timeout: .now() + wait)
            gather()
        }
        // Calls under way finish (each is bounded by its timeout) and record their result.
        let deadline = ContinuousClock.now + .seconds(15)
        while !inFlight.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            recordFinished()
        }
        election.resign()
        logger.info("effect runner stopped")
    }

    /// After a wakeup, waits up to `gatherFor` more while fewer calls have ended than are still
    /// under way, so that a turn writes several outcomes in its transaction: woken by every call
    /// that ended, a turn wrote ~2.7 on average, and its transaction's fixed cost was paid per
    /// couple of mails (with it, 12 % less CPU per e-mail in `crm-bench notifications`). A call
    /// that ended waits at most that long to be recorded; one look serves many commits.
    private func gather() {
        let deadline = DispatchTime.now() + gatherFor
        while true {
            while wakeup.wait(timeout: .now()) == .success {}
            let ended = finished.withLock { $0.count }
            guard callsUnderWay.withLock({ $0 }) > ended, wakeup.wait(timeout: deadline) == .success else { return }
        }
    }

    /// Performs every effect due now and returns when all are done: for tests and tools that
    /// drive the runner by hand (the thread starts them one by one as slots free up).
    @discardableResult
    public func performDue(now: Date = Date()) throws -> Int {
        let started = try database.read { db in prepare(try EffectTable.due(db, now: now, limit: 1000), db) }
        let outcomes = Mutex<[(PendingEffect, Outcome)]>([])
        DispatchQueue.concurrentPerform(iterations: started.count) { index in
            let (effect, prepared) = started[index]
            let ended = outcome(prepared)
            outcomes.withLock { $0.append((effect, ended)) }
        }
        record(outcomes.withLock { $0 })
        return started.count
    }

    private func pruneIfDue() throws {
        guard pruning.isDue() else { return }
        let cutoff = Date().addingTimeInterval(-retention.inSeconds)
        _ = try database.write { db in try EffectTable.prune(db, before: cutoff) }
    }

    enum Outcome: Sendable {
        case answered(JSONValue)
        case failed(String)
        case fault(String, notBefore: Duration?)
        case waiting(String)
    }

    /// An effect's call, or how it ended without one.
    enum Prepared: Sendable {
        case call(EffectCall)
        case ended(Outcome)
    }

    /// The calls of `due`, read in the caller's one transaction. A database error ends the reading:
    /// the effect it hit is a fault (as its own read would have made it), the rest wait for the next
    /// turn (on PostgreSQL the transaction is unusable after a failed statement).
    func prepare(_ due: [PendingEffect], _ db: SQLDatabase) -> [(PendingEffect, Prepared)] {
        var prepared: [(PendingEffect, Prepared)] = []
        let memo = BatchMemo()  // this read transaction's
        for effect in due {
            guard let performer = registry.performer(for: effect.kind) else {
                prepared.append((effect, .ended(.failed("no performer for \(effect.kind)"))))
                continue
            }
            do {
                prepared.append((effect, .call(try performer.prepare(effect, db, memo: memo))))
            } catch let failure as EffectFailure {
                prepared.append((effect, .ended(.failed(failure.reason))))
            } catch where SQLConflict.isDatabaseError(error) {
                prepared.append((effect, .ended(.fault("the call's settings could not be read", notBefore: nil))))
                break
            } catch {
                prepared.append((effect, .ended(.failed("the call could not be prepared"))))
            }
        }
        return prepared
    }

    /// The call of a prepared effect (on the calling thread), or how it ended without one.
    func outcome(_ prepared: Prepared) -> Outcome {
        switch prepared {
        case .ended(let outcome): return outcome
        case .call(let call):
            let server = addresses.server(of: call.url)
            if let server, !takeSlot(server) { return .waiting("\(settings.perHostConcurrency) calls to \(server) are under way") }
            return attempt(call, holding: server)
        }
    }

    /// The server (host and port) a call goes to, from its address alone (no DNS): what its slots
    /// are counted by. Nil for an address the outbound policy refuses (the call fails at once).
    static func server(of url: String, _ policy: OutboundPolicy) -> String? {
        let schemes = OutboundAddress.webSchemes.union(OutboundAddress.mailSchemes)
        guard let (parts, host) = try? OutboundAddress.checkForm(url, policy: policy, schemes: schemes),
              let port = parts.port ?? parts.scheme.flatMap({ OutboundAddress.defaultPorts[$0.lowercased()] })
        else { return nil }
        return "\(host):\(port)"
    }

    /// One call, holding a slot of `server` (given back when it ends).
    func attempt(_ call: EffectCall, holding server: String?) -> Outcome {
        defer { if let server { hostCalls.withLock { $0[server, default: 1] -= 1 } } }
        let target: OutboundTarget
        do {
            // The performer chose the client, and so the scheme; the policy still decides where it may go.
            target = try addresses.target(call.url)
        } catch {
            return .failed("the address is refused: \(error)")
        }
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

    /// One of the server's slots (host and port: two services on one machine are two partners), if one is free.
    func takeSlot(_ server: String) -> Bool {
        hostCalls.withLock { calls in
            guard calls[server, default: 0] < settings.perHostConcurrency else { return false }
            calls[server, default: 0] += 1
            return true
        }
    }
}
