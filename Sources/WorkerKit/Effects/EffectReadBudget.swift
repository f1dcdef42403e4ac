import Synchronization

/// How many due effects the runner reads and prepares in one turn. It used to read as many as it
/// had free slots (32 less the calls under way), but one server takes only `perHost` calls at a
/// time: with one busy partner (a mail burst to one SMTP server) about two thirds of every read
/// went back as "waiting", each prepared and rewritten for nothing (~2 such per mail sent).
///
/// Now a turn reads the free slots of the servers it called lately (the last second), which is
/// what they can take, and only every `unknownEvery` a few more (`perHost`) for effects of servers
/// it does not know yet: a partner new or quiet for a while is still found behind a busy one (its
/// effects come up as the busy one's are rescheduled as "waiting", as before), and the rewriting
/// stays bounded by that rate.
final class EffectReadBudget: Sendable {
    private struct State {
        var lastCalled: [String: ContinuousClock.Instant] = [:]
        var lastUnknownRead: ContinuousClock.Instant?
    }

    let perHost: Int
    let recentFor: Duration
    let unknownEvery: Duration
    private let state = Mutex(State())

    init(perHost: Int, recentFor: Duration = .seconds(1), unknownEvery: Duration = .milliseconds(100)) {
        self.perHost = perHost
        self.recentFor = recentFor
        self.unknownEvery = unknownEvery
    }

    /// The effects to read now, at most `free`; `calls`: the calls under way per server.
    func amount(free: Int, calls: [String: Int], now: ContinuousClock.Instant = .now) -> Int {
        guard free > 0 else { return 0 }
        return state.withLock { state in
            state.lastCalled = state.lastCalled.filter { now - $0.value < recentFor }
            let known = state.lastCalled.keys.reduce(0) { $0 + max(0, perHost - calls[$1, default: 0]) }
            var unknown = 0
            if state.lastUnknownRead.map({ now - $0 >= unknownEvery }) ?? true {
                state.lastUnknownRead = now
                unknown = perHost
            }
            return min(free, known + unknown)
        }
    }

    /// A call to `server` is starting: its free slots count in the next turns' reads.
    func called(_ server: String, now: ContinuousClock.Instant = .now) {
        state.withLock { $0.lastCalled[server] = now }
    }

    /// An effect read ended without taking a slot (it could not be prepared, or its address is
    /// refused): the next turn may read for unknown servers at once, so that a backlog of such
    /// effects (a store without settings) ends at the pace of turns, not of `unknownEvery`.
    func endedWithoutCall() {
        state.withLock { $0.lastUnknownRead = nil }
    }
}
