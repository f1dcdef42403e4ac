/// Pairs with similar names that share an address, a birthday or a company, and no key: the
/// shared value and the name's first letter make the block, and only pairs inside a block are
/// compared (a few per client, never every pair). Reported with their score; never merged.
struct SuggestionFinder {
    var threshold = 0.92
    /// A block larger than this (a placeholder birthday, a marketplace's pickup point) says nothing.
    var maxBlock = 50

    private struct Block: Hashable {
        var scope: String
        var evidence: String
        var value: String
        var initial: Unicode.Scalar
    }

    func find(_ records: [DedupeRecord], grouped: [Int: Int], crossStore: Bool) -> [DedupeSuggestion] {
        var names = [[Unicode.Scalar]](repeating: [], count: records.count)
        var blocks: [Block: [Int32]] = [:]
        for (i, r) in records.enumerated() where r.birthday != nil || r.address != nil || r.company != nil {
            let name = JaroWinkler.normalizedName(r.firstName, r.lastName)
            guard let initial = name.first else { continue }
            names[i] = name
            let scope = crossStore ? r.accountID : r.storeID
            for (evidence, value) in [("birthday", r.birthday), ("address", r.address), ("company", r.company)] {
                guard let value, !value.isEmpty else { continue }
                blocks[Block(scope: scope, evidence: evidence, value: value, initial: initial), default: []].append(Int32(i))
            }
        }
        var best: [Pair: DedupeSuggestion] = [:]
        for (block, members) in blocks where members.count > 1 && members.count <= maxBlock {
            for x in 0..<members.count {
                for y in (x + 1)..<members.count {
                    let a = Int(members[x]), b = Int(members[y])
                    // Already one group by a shared key: nothing to suggest.
                    if let ga = grouped[a], ga == grouped[b] { continue }
                    let score = Self.score(names[a], names[b])
                    guard score >= threshold else { continue }
                    let pair = Pair(a: min(a, b), b: max(a, b))
                    if (best[pair]?.score ?? 0) < score {
                        best[pair] = DedupeSuggestion(a: pair.a, b: pair.b, score: (score * 1000).rounded() / 1000,
                                                      evidence: block.evidence)
                    }
                }
            }
        }
        return best.values.sorted { $0.a != $1.a ? $0.a < $1.a : $0.b < $1.b }
    }

    private struct Pair: Hashable { var a: Int; var b: Int }

    /// Word by word when both names have as many words (the weakest word decides: a shared first
    /// name and surname stem do not make two surnames alike), else the whole names.
    static func score(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        let wa = a.split(separator: " "), wb = b.split(separator: " ")
        guard wa.count == wb.count, wa.count > 1 else { return JaroWinkler.similarity(a, b) }
        return zip(wa, wb).map { JaroWinkler.similarity(Array($0), Array($1)) }.min() ?? 0
    }
}
