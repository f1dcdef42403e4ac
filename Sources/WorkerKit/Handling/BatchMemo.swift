/// Values the handlers of one batch read and may share while the batch's transaction lasts: a
/// store's settings read once for the hundred sends of a batch, not a hundred times. Only what
/// was read goes in. A handler that writes something memoized forgets it (`forgetAll`), and each
/// pass over a batch starts empty, so a pass rolled back leaves nothing behind for the next.
public final class BatchMemo {
    private var values: [String: Any] = [:]

    public init() {}

    /// The value under `key`, read with `read` the first time it is asked for in this batch.
    /// A read that throws is not remembered.
    public func value<T>(_ key: String, _ read: () throws -> T) rethrows -> T {
        if let known = values[key], let value = known as? T { return value }
        let value = try read()
        values[key] = value
        return value
    }

    /// After a write to what may be memoized: the next handler reads again.
    public func forgetAll() {
        values.removeAll(keepingCapacity: true)
    }
}
