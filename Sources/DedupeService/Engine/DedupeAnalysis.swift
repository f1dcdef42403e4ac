/// What the engine found: groups of clients to merge, with why, and what it would not merge.
public struct DedupeAnalysis: Sendable {
    public var groups: [DedupeGroupResult]
    /// How many live clients were looked at.
    public var clients: Int
    public var suggestions: [DedupeSuggestion] = []
}

/// One value shared by two clients of a group (indices into the analysed records).
public struct DedupeReasonResult: Sendable, Equatable {
    public var kind: DedupeKeyKind
    public var value: String
    public var a: Int
    public var b: Int
}

/// The card a merge would leave: the survivor's name and e-mail (or the first another member has),
/// and every phone of the group, the survivor's first.
public struct DedupeProposedCard: Sendable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var phones: [String]

    public init(firstName: String?, lastName: String?, email: String?, phones: [String]) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phones = phones
    }
}

public struct DedupeGroupResult: Sendable {
    public enum SkipReason: String, Sendable, Codable {
        /// The merged card would hold more phones than the store's `max_phones`.
        case phoneLimit = "phone_limit"
        /// The clients are in different stores and the store's cross-store matching is off.
        case crossStore = "cross_store"
    }

    public var number: Int
    /// Indices into the analysed records, oldest first.
    public var members: [Int]
    public var reasons: [DedupeReasonResult]
    public var survivor: Int
    public var proposed: DedupeProposedCard
    /// The group spans stores (a warning even where allowed).
    public var crossStore: Bool
    public var skipReason: SkipReason?
}

/// A pair that looks alike without sharing a key: never merged automatically.
public struct DedupeSuggestion: Sendable, Equatable {
    public var a: Int
    public var b: Int
    public var score: Double
    /// "birthday", "address" or "company": what they share besides a similar name.
    public var evidence: String
}
