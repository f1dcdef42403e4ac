import Foundation
import Synchronization
import Testing
@testable import WorkerKit

/// The effect runner's parts that keep its CPU per call low: how much a turn reads, and the
/// threads calls run on.
@Suite struct EffectRunnerPartsTests {
    @Test func aTurnReadsWhatItsRecentServersCanTakeAndUnknownOnesOnlyNowAndThen() {
        let budget = EffectReadBudget(perHost: 8, recentFor: .seconds(1), unknownEvery: .milliseconds(100))
        let start = ContinuousClock.now
        // Nothing called yet: a few for servers it does not know, then none until 100 ms passed.
        #expect(budget.amount(free: 32, calls: [:], now: start) == 8)
        #expect(budget.amount(free: 32, calls: [:], now: start + .milliseconds(50)) == 0)
        budget.called("smtp:25", now: start + .milliseconds(60))
        // One server with 8 slots, 5 busy: 3; every 100 ms 8 more for the unknown.
        #expect(budget.amount(free: 32, calls: ["smtp:25": 5], now: start + .milliseconds(70)) == 3)
        #expect(budget.amount(free: 32, calls: ["smtp:25": 5], now: start + .milliseconds(110)) == 3 + 8)
        #expect(budget.amount(free: 2, calls: ["smtp:25": 0], now: start + .milliseconds(120)) == 2, "never more than free slots")
        #expect(budget.amount(free: 0, calls: [:], now: start + .milliseconds(500)) == 0)
        // A server not called for a second is unknown again.
        #expect(budget.amount(free: 32, calls: [:], now: start + .milliseconds(1_100)) == 8)
        #expect(budget.amount(free: 32, calls: [:], now: start + .milliseconds(1_150)) == 0)
        // Effects that ended without a call (no settings): the next turn reads on at once.
        budget.endedWithoutCall()
        #expect(budget.amount(free: 32, calls: [:], now: start + .milliseconds(1_160)) == 8)
    }

    @Test func callsNeverWaitBehindOneAnotherAndThreadsAreKept() throws {
        let threads = CallThreads(idleTimeout: .seconds(5))
        let running = Mutex(0)
        let names = Mutex<Set<String>>([])
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        // Six calls blocked at once: each got a thread of its own.
        for _ in 0..<6 {
            threads.run {
                running.withLock { $0 += 1 }
                release.wait()
                done.signal()
            }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while running.withLock({ $0 }) < 6, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(running.withLock { $0 } == 6)
        for _ in 0..<6 { release.signal() }
        for _ in 0..<6 { done.wait() }
        // Then one after another: the same few threads take them.
        for _ in 0..<20 {
            threads.run {
                names.withLock { _ = $0.insert("\(pthread_self())") }
                done.signal()
            }
            done.wait()
        }
        #expect(names.withLock { $0.count } <= 6, "idle threads took the later calls")
    }
}
