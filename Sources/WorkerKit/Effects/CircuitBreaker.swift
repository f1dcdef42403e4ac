import Foundation
import Synchronization

/// Stops calling a service that keeps failing: after `threshold` faults in a row the circuit
/// opens and calls fail at once for `coolDown`; then one trial call is let through (half-open),
/// and its success closes the circuit again. One circuit per host (not per URL: one host down is
/// down for every path and store that calls it).
final class CircuitBreaker: Sendable {
    private struct State {
        var failures = 0
        var openUntil: ContinuousClock.Instant?
        var trialInFlight = false
    }

    let threshold: Int
    let coolDown: Duration
    private let states = Mutex<[String: State]>([:])

    init(threshold: Int = 5, coolDown: Duration = .seconds(30)) {
        self.threshold = threshold
        self.coolDown = coolDown
    }

    /// Whether a call to `key` may go out now; when not, how long until it may.
    func permit(_ key: String) -> Duration? {
        states.withLock { states in
            var state = states[key, default: State()]
            defer { states[key] = state }
            guard let openUntil = state.openUntil else { return nil }
            let now = ContinuousClock.now
            if now < openUntil { return openUntil - now }
            if state.trialInFlight { return .zero }
            state.trialInFlight = true
            return nil
        }
    }

    func recordSuccess(_ key: String) {
        states.withLock { $0[key] = State() }
    }

    func recordFailure(_ key: String) {
        states.withLock { states in
            var state = states[key, default: State()]
            state.failures += 1
            state.trialInFlight = false
            if state.failures >= threshold { state.openUntil = .now + coolDown }
            states[key] = state
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up: for "paused for N s more".
    var wholeSecondsUp: Int {
        Int((Double(components.seconds) + Double(components.attoseconds) / 1e18).rounded(.up))
    }

    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
