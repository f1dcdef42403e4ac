/// The analysis: connected components over shared keys (union-find, one pass over every key of
/// every client, no pairwise comparison), then per group the survivor and the card a merge would
/// produce. Pure and single-threaded; `progress` is called every 65,536 clients and may stop the
/// run by answering false (a cancelled job).
public struct DedupeEngine: Sendable {
    public var rules: DedupeRules

    public init(rules: DedupeRules) { self.rules = rules }

    public struct Cancelled: Error {}

    /// A key in its scope: the store (or the account, with cross-store matching on), the kind, the value.
    private struct Key: Hashable {
        var scope: Int32
        var kind: DedupeKeyKind
        var value: String
    }

    public func analyze(_ records: [DedupeRecord], ties: [DedupeTie] = [], suggestions: Bool = true,
                        progress: (_ phase: String, _ done: Int, _ total: Int) -> Bool = { _, _, _ in true }) throws -> DedupeAnalysis {
        let n = records.count
        var sets = UnionFind(count: n)
        var stores: [String: Int32] = [:], accounts: [String: Int32] = [:]
        var storeOf = [Int32](repeating: 0, count: n), accountOf = [Int32](repeating: 0, count: n)
        for (i, r) in records.enumerated() {
            if stores[r.storeID] == nil { stores[r.storeID] = Int32(stores.count) }
            if accounts[r.accountID] == nil { accounts[r.accountID] = Int32(accounts.count) }
            storeOf[i] = stores[r.storeID]!
            accountOf[i] = accounts[r.accountID]!
        }
        let severalStores = stores.count > 1
        var first: [Key: Int32] = [:]
        first.reserveCapacity(n * 2)
        // With cross-store matching off, a key shared across stores is only reported (skipped).
        var firstInAccount: [Key: Int32] = [:]
        var crossPairs: [DedupeReasonResult] = []
        var reasons: [DedupeReasonResult] = []

        func see(_ i: Int, _ kind: DedupeKeyKind, _ value: String) {
            let scope = rules.crossStore ? accountOf[i] : storeOf[i]
            let key = Key(scope: scope, kind: kind, value: value)
            if let j = first[key] {
                if Int(j) != i {
                    sets.union(j, Int32(i))
                    reasons.append(DedupeReasonResult(kind: kind, value: value, a: Int(j), b: i))
                }
            } else {
                first[key] = Int32(i)
            }
            guard severalStores, !rules.crossStore else { return }
            let wide = Key(scope: accountOf[i], kind: kind, value: value)
            if let j = firstInAccount[wide] {
                if storeOf[Int(j)] != storeOf[i] { crossPairs.append(DedupeReasonResult(kind: kind, value: value, a: Int(j), b: i)) }
            } else {
                firstInAccount[wide] = Int32(i)
            }
        }

        for (i, r) in records.enumerated() {
            if i & 0xFFFF == 0, !progress("matching", i, n) { throw Cancelled() }
            if rules.matchByPhone {
                for p in r.phones where !rules.excludedPhones.contains(p) { see(i, .phone, p) }
                if rules.mergeContacts { for p in r.contactPhones where !rules.excludedPhones.contains(p) { see(i, .contactPhone, p) } }
            }
            if rules.matchByEmail {
                for e in r.emails where !rules.excludedEmails.contains(e) { see(i, .email, e) }
                if rules.mergeContacts { for e in r.contactEmails where !rules.excludedEmails.contains(e) { see(i, .contactEmail, e) } }
            }
            if rules.sameINN { for inn in r.inns where !rules.excludedINNs.contains(inn) { see(i, .inn, inn) } }
        }
        let index = ties.isEmpty ? [:]
            : Dictionary(records.indices.map { (records[$0].clientID, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        for tie in ties {
            guard let a = index[tie.clientA], let b = index[tie.clientB], a != b, !excluded(tie) else { continue }
            guard rules.crossStore ? accountOf[Int(a)] == accountOf[Int(b)] : storeOf[Int(a)] == storeOf[Int(b)] else { continue }
            sets.union(a, b)
            reasons.append(DedupeReasonResult(kind: .order, value: tie.orderID, a: Int(a), b: Int(b)))
        }
        guard progress("grouping", n, n) else { throw Cancelled() }

        // Members and reasons by root; groups numbered in the order of their oldest member.
        var membersOf: [Int32: [Int]] = [:]
        for reason in reasons { membersOf[sets.find(Int32(reason.a)), default: []].append(reason.b) }
        var reasonsOf: [Int32: [DedupeReasonResult]] = [:]
        for reason in reasons { reasonsOf[sets.find(Int32(reason.a)), default: []].append(reason) }
        var groups: [DedupeGroupResult] = []
        groups.reserveCapacity(membersOf.count)
        for (root, var members) in membersOf {
            members.append(Int(root))
            for reason in reasonsOf[root] ?? [] { members.append(reason.a) }
            members = Array(Set(members)).sorted { older(records[$0], records[$1]) }
            groups.append(proposal(records, members: members, reasons: reasonsOf[root] ?? [], stores: storeOf))
        }
        // Cross-store pairs not allowed: reported, never merged.
        var seenPairs: Set<[Int]> = []
        for pair in crossPairs {
            let members = [pair.a, pair.b].sorted { older(records[$0], records[$1]) }
            guard seenPairs.insert(members).inserted else { continue }
            var group = proposal(records, members: members, reasons: [pair], stores: storeOf)
            group.skipReason = .crossStore
            groups.append(group)
        }
        groups.sort { (g1, g2) in
            let a = records[g1.members[0]], b = records[g2.members[0]]
            return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : (a.clientID, g1.members.count) < (b.clientID, g2.members.count)
        }
        for i in groups.indices { groups[i].number = i + 1 }
        var analysis = DedupeAnalysis(groups: groups, clients: n)
        if suggestions {
            guard progress("suggestions", n, n) else { throw Cancelled() }
            var grouped: [Int: Int] = [:]
            for g in groups where g.skipReason != .crossStore { for m in g.members { grouped[m] = g.number } }
            analysis.suggestions = SuggestionFinder().find(records, grouped: grouped, crossStore: rules.crossStore)
        }
        return analysis
    }

    private func excluded(_ tie: DedupeTie) -> Bool {
        tie.values.contains { rules.excludedPhones.contains($0) || rules.excludedEmails.contains($0) }
    }

    func older(_ a: DedupeRecord, _ b: DedupeRecord) -> Bool {
        a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.clientID < b.clientID
    }

    /// The survivor (the first or the last created), the card the merge would produce, and whether
    /// the store's phone limit lets it through.
    func proposal(_ records: [DedupeRecord], members: [Int], reasons: [DedupeReasonResult], stores: [Int32]) -> DedupeGroupResult {
        let ordered = rules.priority == .first ? members : members.reversed()
        let survivor = ordered[0]
        let s = records[survivor]
        var phones: [String] = []
        var seen: Set<String> = []
        for i in ordered { for p in records[i].phones where seen.insert(p).inserted { phones.append(p) } }
        // Field by field, as client.merge fills the survivor's empty fields from the merged clients
        // in this order (MergeRuns sends them so): what the report shows is what the merge makes.
        let card = DedupeProposedCard(firstName: s.firstName ?? ordered.lazy.compactMap { records[$0].firstName }.first,
                                      lastName: s.lastName ?? ordered.lazy.compactMap { records[$0].lastName }.first,
                                      email: s.email ?? ordered.lazy.compactMap { records[$0].email }.first, phones: phones)
        let crossStore = Set(members.map { stores[$0] }).count > 1
        var skip: DedupeGroupResult.SkipReason?
        if let max = rules.maxPhones, phones.count > max { skip = .phoneLimit }
        return DedupeGroupResult(number: 0, members: members, reasons: reasons, survivor: survivor, proposed: card,
                                 crossStore: crossStore, skipReason: skip)
    }
}
