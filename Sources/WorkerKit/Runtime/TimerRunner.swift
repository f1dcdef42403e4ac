import Contracts
import Foundation
import Logging
import SQLStore

/// A service's own periodic work (dedupe-service's automatic merges): `tick` runs every `every`
/// in a write transaction of its own, as the service's broker user, and what it publishes or
/// sends goes through the outbox like a handler's. On PostgreSQL one replica at a time ticks.
public struct WorkerTimer: Sendable {
    public var name: String
    public var every: Duration
    public var tick: @Sendable (SQLDatabase, HandlerContext) throws -> Void

    public init(name: String, every: Duration, tick: @escaping @Sendable (SQLDatabase, HandlerContext) throws -> Void) {
        self.name = name
        self.every = every
        self.tick = tick
    }
}

/// Runs the timers of a service on one thread.
final class TimerRunner: Sendable {
    let timers: [WorkerTimer]
    let election: JobStorage
    let service: String
    let serviceUser: String
    let relayWakeup: DispatchSemaphore?
    let logger: Logger
    let stopRequested = SharedFlag()

    init(timers: [WorkerTimer], storage: SQLStorage, service: String, serviceUser: String, relayWakeup: DispatchSemaphore? = nil,
         logger: Logger = Logger(label: "timers")) {
        self.timers = timers
        election = JobStorage(storage, job: "timers")
        self.service = service
        self.serviceUser = serviceUser
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

    /// One tick, committed with what it publishes; nothing while another replica leads.
    func tick(_ timer: WorkerTimer) throws {
        guard try election.lead() else { return }
        let now = Date()
        let sender = Sender(userID: serviceUser, grant: AccessGrant(role: .service, service: service))
        let context = HandlerContext(service: service, messageID: "timer-\(timer.name)-\(RandomID.uuid())", type: "timer",
                                     appID: service, sender: sender, now: now)
        try election.write { db in
            try timer.tick(db, context)
            for out in context.outgoing {
                try OutboxMessage.append(db, exchange: out.exchange, routingKey: out.routingKey, message: out.message, createdAt: now)
            }
        }
        if !context.outgoing.isEmpty { relayWakeup?.signal() }
    }
}
