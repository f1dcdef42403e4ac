import Foundation
import Messaging
import SQLStore
import WorkerKit

/// Two replicas' transactions crossing: `first` is handled in a transaction held open for a
/// while on another thread, and `second` meanwhile; a batch that conflicts runs again, as the
/// consumer does (at most five tries).
public enum TransactionRace {
    public static func run(_ storage: SQLStorage, _ processor: MessageProcessor, _ first: Delivery, _ second: Delivery) throws {
        let started = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let failure = OtherThreadError()
        DispatchQueue.global().async {
            do {
                try storage.write { db in
                    _ = try processor.process([first], in: db)
                    started.signal()
                    Thread.sleep(forTimeInterval: 0.3)
                }
            } catch {
                failure.error = error
                started.signal()
            }
            done.signal()
        }
        started.wait()
        for attempt in 1... {
            do {
                _ = try storage.write { db in try processor.process([second], in: db) }
                break
            } catch where SQLConflict.isTransient(error) && attempt < 5 {}
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// The other thread's error, read after its semaphore was signalled (which orders the accesses).
private final class OtherThreadError: @unchecked Sendable {
    var error: (any Error)?
}
