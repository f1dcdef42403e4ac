/// Jaro-Winkler similarity of two strings of Unicode scalars (1 for equal, 0 for nothing in
/// common), with the usual prefix scale 0.1 over at most 4 scalars.
enum JaroWinkler {
    static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        if a.isEmpty || b.isEmpty { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aMatched = [Bool](repeating: false, count: a.count)
        var bMatched = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let lo = max(0, i - window), hi = min(b.count - 1, i + window)
            guard lo <= hi else { continue }
            for j in lo...hi where !bMatched[j] && a[i] == b[j] {
                aMatched[i] = true
                bMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        var transpositions = 0, j = 0
        for i in a.indices where aMatched[i] {
            while !bMatched[j] { j += 1 }
            if a[i] != b[j] { transpositions += 1 }
            j += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(a.count) + m / Double(b.count) + (m - Double(transpositions / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// A name as compared: lower case, letters only, `ё` as `е`, the words sorted (so "Ivanov Ivan"
    /// and "Ivan Ivanov" are one name) and joined by one space. Scalar by scalar: Latin and
    /// Cyrillic fold by arithmetic, the rest through Unicode's mapping (a million names a second).
    static func normalizedName(_ first: String?, _ last: String?) -> [Unicode.Scalar] {
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        for part in [first, last] {
            guard let part else { continue }
            for scalar in part.unicodeScalars {
                if let folded = fold(scalar) {
                    word.append(folded)
                } else if !word.isEmpty {
                    words.append(word)
                    word = []
                }
            }
            if !word.isEmpty { words.append(word); word = [] }
        }
        words.sort { a, b in a.lexicographicallyPrecedes(b) { x, y in x.value < y.value } }
        var out: [Unicode.Scalar] = []
        for (i, w) in words.enumerated() {
            if i > 0 { out.append(" ") }
            out += w
        }
        return out
    }

    /// The lower-case letter, or nil for what is no letter.
    private static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s.value {
        case 0x61...0x7A, 0x430...0x44F: return s
        case 0x41...0x5A, 0x410...0x42F: return Unicode.Scalar(s.value + 0x20)
        case 0x401, 0x451: return "\u{435}"  // ё, Ё → е
        case 0...0x7F: return nil
        default:
            guard s.properties.isAlphabetic else { return nil }
            return s.properties.lowercaseMapping.unicodeScalars.first ?? s
        }
    }
}
