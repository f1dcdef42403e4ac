import Synchronization

/// Says yes at most once per `interval`: for housekeeping done in a loop's idle moments
/// (the relay prunes the inbox, the effect runner its finished effects).
final class Throttle: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(every interval: Duration) { self.interval = interval }

    /// True when `interval` has passed since the last true (or on the first call).
    func isDue() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            guard last.map({ now - $0 > interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
