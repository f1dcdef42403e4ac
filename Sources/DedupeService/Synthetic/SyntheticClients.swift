import Foundation

/// Synthetic clients with planted duplicates whose truth is known, for the benchmark and the
/// tests: pairs sharing a phone written in another form, pairs sharing an e-mail in another case,
/// chains A–B–C (a phone ties A and B, an e-mail B and C), clients sharing only an excluded value
/// (the shop's office phone, a placeholder e-mail: never duplicates), and near-miss names with
/// the same birthday and no shared key (suggestions). The rest are distinct people.
public struct SyntheticClients: Sendable {
    /// The raw cards as a shop would hold them (phones as typed), and the truth.
    public struct Card: Sendable {
        public var id: String
        public var firstName: String
        public var lastName: String
        public var phones: [String]
        public var email: String?
        public var birthday: String
        public var createdAt: Double
    }

    public static let officePhone = "+74950000000"
    public static let placeholderEmail = "noreply@marketplace.example"

    public var cards: [Card] = []
    /// Client index → its planted group (exact duplicates); absent for a distinct client.
    public var exactGroup: [Int: Int] = [:]
    public var exactGroups = 0
    /// Planted near-miss pairs (indices, lower first).
    public var nearMissPairs: Set<[Int]> = []
    /// Clients that share only an excluded value.
    public var excludedSharers: [Int] = []

    static let firstNames = ["Иван", "Пётр", "Анна", "Мария", "Олег", "Елена", "Сергей", "Ольга", "Дмитрий", "Наталья",
                             "Алексей", "Татьяна", "Андрей", "Юлия", "Никита", "Ксения", "Павел", "Дарья", "Михаил", "Ирина"]
    static let lastNames = ["Смирнов", "Иванов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
                            "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
                            "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"]

    /// `count` clients; `plantedShare` of them in planted groups (pairs, chains), `excluded` sharing an excluded value,
    /// `nearMisses` near-miss pairs.
    public init(count: Int, plantedShare: Double = 0.05, excluded: Int = 2_000, nearMisses: Int = 2_000, seed: UInt64 = 42) {
        var rng = SplitMix(seed: seed)
        cards.reserveCapacity(count)
        func person(_ i: Int) -> Card {
            let first = Self.firstNames[Int(rng.next() % UInt64(Self.firstNames.count))]
            // Syllables from the index keep random people apart by name (what suggestions compare).
            let last = Self.lastNames[Int(rng.next() % UInt64(Self.lastNames.count))] + Self.syllables(i)
            let day = 1 + Int(rng.next() % 28), month = 1 + Int(rng.next() % 12), year = 1950 + Int(rng.next() % 55)
            return Card(id: String(format: "c%07ld", i), firstName: first, lastName: last,
                        phones: [Self.phone(i)], email: "user\(i)@mail.example",
                        birthday: String(format: "%04ld-%02ld-%02ld", year, month, day), createdAt: Double(i))
        }
        for i in 0..<count { cards.append(person(i)) }

        var next = 0
        func take() -> Int? { guard next < count else { return nil }; defer { next += 1 }; return next }
        let planted = Int(Double(count) * plantedShare)
        // Exact duplicates: a third pairs by phone (another written form), a third by e-mail (another case), a third chains.
        while next < planted {
            let kind = exactGroups % 3
            guard let a = take(), let b = take() else { break }
            exactGroups += 1
            exactGroup[a] = exactGroups; exactGroup[b] = exactGroups
            switch kind {
            case 0:
                cards[b].phones = [Self.nationalForm(cards[a].phones[0])]
                cards[b].email = nil
            case 1:
                cards[b].email = cards[a].email!.uppercased()
                cards[b].phones = []
            default:
                guard let c = take() else { break }
                exactGroup[c] = exactGroups
                cards[b].phones = [Self.spacedForm(cards[a].phones[0])]
                cards[c].email = cards[b].email!.capitalized
                cards[c].phones = []
            }
        }
        // Sharing only the office phone or the placeholder e-mail: distinct people.
        for k in 0..<excluded {
            guard let i = take() else { break }
            if k % 2 == 0 { cards[i].phones.append(Self.officePhone) } else { cards[i].email = Self.placeholderEmail }
            excludedSharers.append(i)
        }
        // Near misses: one letter changed, the same birthday, no key in common.
        for _ in 0..<nearMisses {
            guard let a = take(), let b = take() else { break }
            cards[b].firstName = cards[a].firstName
            cards[b].lastName = Self.typo(cards[a].lastName)
            cards[b].birthday = cards[a].birthday
            nearMissPairs.insert([a, b])
        }
    }

    /// Five Cyrillic syllables from a scrambled `i`: a surname ending of its own for every client,
    /// and two people's endings alike only by chance (not neighbours by index).
    static func syllables(_ i: Int) -> String {
        let consonants = Array("бвгдклмнпрстфхц"), vowels = Array("аеиоу")
        var mix = SplitMix(seed: UInt64(i))
        var n = Int(mix.next() % 2_373_046_875)  // 75^5
        var out = ""
        for _ in 0..<5 {
            out.append(consonants[n % 15])
            out.append(vowels[(n / 15) % 5])
            n /= 75
        }
        return out
    }

    /// Distinct mobile numbers: +7 9xx from the index.
    static func phone(_ i: Int) -> String { String(format: "+79%09ld", i) }

    /// `+79161234567` as `8 (916) 123-45-67`.
    static func nationalForm(_ e164: String) -> String {
        let d = Array(e164.dropFirst(2))
        return "8 (\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<8]))-\(String(d[8..<10]))"
    }

    /// `+79161234567` as `+7 916 123 45 67`.
    static func spacedForm(_ e164: String) -> String {
        let d = Array(e164.dropFirst(2))
        return "+7 \(String(d[0..<3])) \(String(d[3..<6])) \(String(d[6..<8])) \(String(d[8..<10]))"
    }

    /// One letter of the surname doubled ("Смирнов…" → "Смиирнов…"): a typing slip.
    static func typo(_ name: String) -> String {
        var letters = Array(name)
        let at = min(2, letters.count - 1)
        letters.insert(letters[at], at: at)
        return String(letters)
    }
}

/// A small fast seeded generator (SplitMix64): the same data on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
