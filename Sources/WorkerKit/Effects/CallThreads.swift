import Foundation
import Synchronization

/// The threads the effect runner's calls block on (libcurl blocks), kept between calls: a thread
/// started and ended per call (clone, stack mapped and unmapped) was about a tenth of the
/// notification-service's CPU per e-mail. A job never waits behind another: an idle thread takes
/// it, or a new one starts (the runner keeps at most `EffectSettings.concurrency` calls under way,
/// so there are never more threads than that). A thread idle for `idleTimeout` ends.
final class CallThreads: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        /// Threads waiting (or about to wait) on `available` and not yet claimed by a job.
        var idle = 0
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let idleTimeout: DispatchTimeInterval

    init(idleTimeout: DispatchTimeInterval = .seconds(10)) { self.idleTimeout = idleTimeout }

    /// Runs `job` on an idle thread, or on a new one when none is idle.
    func run(_ job: @escaping @Sendable () -> Void) {
        let wakeIdle = state.withLock { state in
            state.jobs.append(job)
            guard state.idle > 0 else { return false }
            state.idle -= 1
            return true
        }
        if wakeIdle { available.signal() } else { Thread.detachNewThread { [self] in
            Thread.current.name = "effect-call"
            work()
        } }
    }

    private func work() {
        while true {
            let next: (@Sendable () -> Void)? = state.withLock { state in
                if !state.jobs.isEmpty { return state.jobs.removeFirst() }
                state.idle += 1
                return nil
            }
            if let next {
                next()
                continue
            }
            if available.wait(timeout: .now() + idleTimeout) == .success { continue }
            // Timed out: leave, unless a job claimed this thread meanwhile (its signal is then ours).
            let leave = state.withLock { state in
                guard state.idle > 0 else { return false }
                state.idle -= 1
                return true
            }
            if leave { return }
            available.wait()
        }
    }
}
