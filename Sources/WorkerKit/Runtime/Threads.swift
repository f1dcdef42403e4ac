import Foundation
import Synchronization

/// Runs blocking work (rabbitmq-c calls, SQLite) on a thread of its own, off the cooperative pool,
/// and resumes the awaiting task when it returns.
func runOnDedicatedThread(name: String, _ body: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let thread = Thread {
            // Named from inside: on Linux a name set before `start()` never reaches the kernel
            // (`top -H`, `/proc/<pid>/task/*/comm`, perf).
            Thread.current.name = name
            body()
            continuation.resume()
        }
        thread.start()
    }
}

/// A Bool shared between a loop's thread and whoever asks it to stop or reads its state.
final class SharedFlag: Sendable {
    private let value: Mutex<Bool>
    init(_ initial: Bool = false) { value = Mutex(initial) }
    var isSet: Bool { value.withLock { $0 } }
    func set(_ newValue: Bool = true) { value.withLock { $0 = newValue } }
}

/// Exponential backoff with jitter for reconnects: 0.2 s doubling to 10 s.
struct Backoff {
    private var attempt = 0
    mutating func reset() { attempt = 0 }
    mutating func next() -> Duration {
        let base = min(10.0, 0.2 * pow(2.0, Double(attempt)))
        attempt += 1
        return .milliseconds(Int(base * 1000 * Double.random(in: 0.75...1.25)))
    }
}

/// Sleeps up to `duration`, waking early when the flag is set.
func sleep(_ duration: Duration, unless flag: SharedFlag) {
    let deadline = ContinuousClock.now + duration
    while !flag.isSet, ContinuousClock.now < deadline {
        Thread.sleep(forTimeInterval: min(0.05, Double((deadline - ContinuousClock.now).components.attoseconds) / 1e18))
    }
}
