import Foundation
import SQLStore

/// One turn of the runner's thread: the outcomes of the calls that ended are written, the due
/// effects read and prepared, and the next due time read, all in ONE transaction; then the calls
/// start. A turn used to be a write transaction, a read transaction and another read for the
/// wait, and their set-up and commits were a third of the runner's CPU at ~4 outcomes per turn.
/// A turn with nothing to write reads through the pool, so that it never waits for the writer
/// (the consumer's batches) just to find the effects due.
extension EffectRunner {
    /// What a turn read: the effects it starts, and when the next pending effect is due.
    struct TurnReading {
        var started: [(PendingEffect, Prepared)] = []
        var nextDue: Date?
    }

    /// Runs one turn and returns how long to sleep before the next (a finished call wakes it sooner).
    func turn() throws -> DispatchTimeInterval {
        let batch = takeFinished()
        guard try election.lead() else {
            // Another replica runs the effects: write what ended here, ask for the lead again later.
            record(batch)
            return .seconds(1)
        }
        let free = readBudget.amount(free: settings.concurrency - callsUnderWay.withLock { $0 }, calls: hostCalls.withLock { $0 })
        let reading: TurnReading?
        if batch.isEmpty {
            reading = try database.read { db in try read(db, free: free) }
        } else {
            reading = record(batch) { db in
                // In a savepoint: a failed read (on PostgreSQL it spoils the transaction) is rolled
                // back to it and costs this turn's starts only, never the outcomes written before it.
                do {
                    return try db.savepoint { try read(db, free: free) }
                } catch {
                    logger.warning("effect runner cannot read its effects", metadata: ["error": "\(error)"])
                    return TurnReading(nextDue: Date())  // look again soon
                }
            }
        }
        start(reading?.started ?? [])
        if !finished.withLock({ $0.isEmpty }) { return .milliseconds(0) }
        guard let next = reading?.nextDue else { return reading == nil ? .milliseconds(5) : .seconds(1) }
        let ms = Int((next.timeIntervalSinceNow * 1000).rounded(.up))
        return .milliseconds(min(1000, max(5, ms)))
    }

    /// The due effects not claimed yet (as many as `free`), prepared, and the next due time.
    private func read(_ db: SQLDatabase, free: Int) throws -> TurnReading {
        var reading = TurnReading()
        if free > 0 {
            let claimed = inFlight.withLock { $0 }
            reading.started = prepare(try EffectTable.due(db, now: Date(), limit: free, skipping: claimed), db)
        }
        reading.nextDue = try EffectTable.nextDue(db)
        return reading
    }

    /// Claims each prepared effect and starts its call on a call thread (or records how it ended).
    private func start(_ started: [(PendingEffect, Prepared)]) {
        for (effect, prepared) in started {
            inFlight.withLock { _ = $0.insert(effect.id) }
            guard case .call(let call) = prepared else {
                finished.withLock { $0.append((effect, outcome(prepared))) }
                readBudget.endedWithoutCall()
                continue
            }
            // Its server's slots are all taken: due again a little later (no thread, no attempt used).
            let server = addresses.server(of: call.url)
            if let server, !takeSlot(server) {
                finished.withLock { $0.append((effect, .waiting("\(settings.perHostConcurrency) calls to \(server) are under way"))) }
                continue
            }
            if let server { readBudget.called(server) } else { readBudget.endedWithoutCall() }
            callsUnderWay.withLock { $0 += 1 }
            // A thread per call under way: calls block in libcurl, and a concurrent dispatch queue runs
            // on as many threads as there are cores, so two slow calls on two cores held back every
            // other partner's call (SlowPartnerTests, in CI).
            callThreads.run { [self] in
                let outcome = attempt(call, holding: server)
                let underWay = callsUnderWay.withLock { $0 -= 1; return $0 }
                let ended = finished.withLock { $0.append((effect, outcome)); return $0.count }
                // The runner wakes for the first call that ended and when as many have ended as are
                // still under way (`gather()`), not for each: every wakeup is a context switch.
                if ended == 1 || ended >= underWay { wakeup.signal() }
            }
        }
    }
}
