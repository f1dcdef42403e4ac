import Contracts
import Foundation
import Logging
import Messaging
import SQLStore

/// A service's own periodic work (dedupe-service's automatic merges, its index rebuilds). A `tick`
/// runs every `every` in a write transaction of its own, as the service's broker user, and what
/// it publishes or sends goes through the outbox like a handler's. A `work` runs outside any
/// transaction (it may call another service over the broker, as the service's user) and writes
/// through its environment as it goes. On PostgreSQL one replica at a time runs them.
public struct WorkerTimer: Sendable {
    public var name: String
    public var every: Duration
    public var tick: (@Sendable (SQLDatabase, HandlerContext) throws -> Void)?
    public var work: (@Sendable (TimerEnvironment) throws -> Void)?

    public init(name: String, every: Duration, tick: @escaping @Sendable (SQLDatabase, HandlerContext) throws -> Void) {
        self.name = name
        self.every = every
        self.tick = tick
    }

    public init(name: String, every: Duration, work: @escaping @Sendable (TimerEnvironment) throws -> Void) {
        self.name = name
        self.every = every
        self.work = work
    }
}

/// What a timer's `work` may use: transactions whose messages go through the outbox, and the
/// broker address the worker logs in with (nil where there is no broker, as in unit tests).
public struct TimerEnvironment: Sendable {
    public let amqpURL: AMQPURL?
    let runner: TimerRunner

    /// One transaction, committed with what `body` publishes or sends.
    public func write<T>(_ body: (SQLDatabase, HandlerContext) throws -> T) throws -> T {
        try runner.transaction(name: "work", body)
    }

    /// One read-only transaction (a long read that must not hold the writers back).
    public func read<T>(_ body: (SQLDatabase) throws -> T) throws -> T {
        try runner.election.read(body)
    }
}

/// Runs the timers of a service on one thread.
final class TimerRunner: Sendable {
    let timers: [WorkerTimer]
    let election: JobStorage
    let service: String
    let serviceUser: String
    let amqpURL: AMQPURL?
    let relayWakeup: DispatchSemaphore?
    let logger: Logger
    let stopRequested = SharedFlag()

    init(timers: [WorkerTimer], storage: SQLStorage, service: String, serviceUser: String, amqpURL: AMQPURL? = nil,
         relayWakeup: DispatchSemaphore? = nil, logger: Logger = Logger(label: "timers")) {
        self.timers = timers
        election = JobStorage(storage, job: "timers")
        self.service = service
        self.serviceUser = serviceUser
        self.amqpURL = amqpURL
        self.relayWakeup = relayWakeup
        self.logger = logger
    }

    func run() {
        var due = timers.map { _ in ContinuousClock.now + .milliseconds(100) }
        while !stopRequested.isSet {
            for (i, timer) in timers.enumerated() where ContinuousClock.now >= due[i] {
                due[i] = ContinuousClock.now + timer.every
                do {
                    try tick(timer)
                } catch {
                    logger.warning("timer failed", metadata: ["timer": "\(timer.name)", "error": "\(error)"])
                }
            }
            let next = due.min() ?? ContinuousClock.now + .seconds(1)
            sleep(max(.milliseconds(5), next - ContinuousClock.now), unless: stopRequested)
        }
        election.resign()
    }

    /// One turn of a timer; nothing while another replica leads.
    func tick(_ timer: WorkerTimer) throws {
        guard try election.lead() else { return }
        if let tick = timer.tick { try transaction(name: timer.name, tick) }
        if let work = timer.work { try work(TimerEnvironment(amqpURL: amqpURL, runner: self)) }
    }

    /// A write transaction as the service's user; what it publishes goes to the outbox with it.
    func transaction<T>(name: String, _ body: (SQLDatabase, HandlerContext) throws -> T) throws -> T {
        let now = Date()
        let sender = Sender(userID: serviceUser, grant: AccessGrant(role: .service, service: service))
        let context = HandlerContext(service: service, messageID: "timer-\(name)-\(RandomID.uuid())", type: "timer",
                                     appID: service, sender: sender, now: now)
        let result = try election.write { db in
            let result = try body(db, context)
            for out in context.outgoing {
                try OutboxMessage.append(db, exchange: out.exchange, routingKey: out.routingKey, message: out.message, createdAt: now)
            }
            return result
        }
        if !context.outgoing.isEmpty { relayWakeup?.signal() }
        return result
    }
}
