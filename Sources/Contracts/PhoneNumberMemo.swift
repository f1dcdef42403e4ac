import Synchronization

/// The readings libphonenumber gave lately, by (input, default country): its regular
/// expressions were about a fifth of an order's cost, and a shop's buyers come back with the
/// same number written the same way. libphonenumber stays the authority: a reading is only ever
/// its own answer for the same input, repeated. Bounded: two generations of `generationSize`
/// (the older is dropped when the newer fills; a hit in the older moves to the newer), and only
/// short inputs (a phone as people type it), so junk cannot grow it.
final class PhoneNumberMemo: Sendable {
    struct Key: Hashable, Sendable {
        let raw: String
        let country: String
    }

    /// Longer input is read every time: 48 bytes holds "+7 (495) 123-45-67 доб. 12345".
    static let maxRawBytes = 48

    private struct Generations {
        var current: [Key: PhoneNumber.Parsed?] = [:]
        var previous: [Key: PhoneNumber.Parsed?] = [:]
    }

    let generationSize: Int
    private let state = Mutex(Generations())

    init(generationSize: Int) {
        self.generationSize = generationSize
    }

    /// The memoised reading of `raw`, or `read()`'s, remembered.
    func reading(_ raw: String, country: String, _ read: () -> PhoneNumber.Parsed?) -> PhoneNumber.Parsed? {
        guard raw.utf8.count <= Self.maxRawBytes else { return read() }
        let key = Key(raw: raw, country: country)
        if let known = lookup(key) { return known }
        let parsed = read()  // outside the lock: the other threads need not wait for ICU
        state.withLock { insert(key, parsed, into: &$0) }
        return parsed
    }

    /// `.some(reading)` when remembered (the reading itself may be nil: not a valid number).
    private func lookup(_ key: Key) -> PhoneNumber.Parsed?? {
        state.withLock { generations in
            if let hit = generations.current[key] { return .some(hit) }
            guard let hit = generations.previous.removeValue(forKey: key) else { return nil }
            insert(key, hit, into: &generations)
            return .some(hit)
        }
    }

    private func insert(_ key: Key, _ parsed: PhoneNumber.Parsed?, into generations: inout Generations) {
        if generations.current.count >= generationSize {
            generations.previous = generations.current
            generations.current = Dictionary(minimumCapacity: generationSize)
        }
        generations.current[key] = parsed
    }

    /// How many readings are remembered (for tests).
    var count: Int { state.withLock { $0.current.count + $0.previous.count } }
}
