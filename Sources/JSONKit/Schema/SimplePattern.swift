/// A fast path for the patterns our schemas mostly use: anchored sequences of ASCII character
/// classes and literals with counted repeats (`^[a-z0-9][a-z0-9_.-]{0,63}$`, `^[A-Z]{3}$`).
/// NSRegularExpression runs each match through ICU over a bridged UTF-16 copy of the string, a
/// tenth of a small message's handling in a profile; these patterns need no regex engine. Any
/// other pattern (groups, alternation, `.`, `\s`, negated classes) returns nil from `init` and
/// stays with NSRegularExpression. `$` matches only at the end, as in ECMA-262, which JSON Schema
/// specifies (ICU also lets it match before a final line break).
struct SimplePattern: Sendable {
    /// One class or literal, repeated `min...max` times; the set is a bitmap of ASCII.
    struct Atom: Sendable {
        var low: UInt64 = 0, high: UInt64 = 0
        var min = 1, max = 1

        mutating func insert(_ byte: UInt8) {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
    }

    let atoms: [Atom]

    init?(_ source: String) {
        var p = SimplePatternReader(Array(source.utf8))
        guard p.take(UInt8(ascii: "^")) else { return nil }
        var atoms: [Atom] = []
        while !p.atEnd {
            if p.peek == UInt8(ascii: "$") {
                p.skip()
                guard p.atEnd else { return nil }
                self.atoms = atoms
                return
            }
            guard var atom = p.atom(), p.quantifier(&atom) else { return nil }
            atoms.append(atom)
        }
        return nil  // no closing `$`: an unanchored end, left to the regex engine
    }

    func matches(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { match(atomAt: 0, in: $0, from: 0) }
    }

    /// Backtracking over counted repeats: greedy, then fewer, as a regex engine would.
    private func match(atomAt index: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard index < atoms.count else { return start == bytes.count }
        let atom = atoms[index]
        var count = 0
        while count < atom.max, start + count < bytes.count, atom.contains(bytes[start + count]) { count += 1 }
        guard count >= atom.min else { return false }
        while true {
            if match(atomAt: index + 1, in: bytes, from: start + count) { return true }
            if count == atom.min { return false }
            count -= 1
        }
    }
}

/// Reads a pattern's source for `SimplePattern`; nil for anything outside its subset.
struct SimplePatternReader {
    let bytes: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[i] }
    mutating func skip() { i += 1 }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        i += 1
        return true
    }

    /// A class `[…]`, an escaped punctuation mark, or a plain literal.
    mutating func atom() -> SimplePattern.Atom? {
        var atom = SimplePattern.Atom()
        guard let byte = peek, byte < 128 else { return nil }
        skip()
        switch byte {
        case UInt8(ascii: "["): return classBody(into: &atom) ? atom : nil
        case UInt8(ascii: "\\"):
            guard let escaped = escapedPunctuation() else { return nil }
            atom.insert(escaped)
        case _ where Self.meta.contains(byte): return nil
        default: atom.insert(byte)
        }
        return atom
    }

    /// `{n}`, `{m,n}`, `?`, `*`, `+` or nothing; false for a form outside the subset.
    mutating func quantifier(_ atom: inout SimplePattern.Atom) -> Bool {
        switch peek {
        case UInt8(ascii: "?"): skip(); (atom.min, atom.max) = (0, 1)
        case UInt8(ascii: "*"): skip(); (atom.min, atom.max) = (0, .max)
        case UInt8(ascii: "+"): skip(); (atom.min, atom.max) = (1, .max)
        case UInt8(ascii: "{"):
            skip()
            guard let min = number() else { return false }
            var max = min
            if take(UInt8(ascii: ",")) { guard let n = number() else { return false }; max = n }
            guard take(UInt8(ascii: "}")), min <= max else { return false }
            (atom.min, atom.max) = (min, max)
        default: break
        }
        // A lazy or possessive suffix changes nothing for a whole-string match, but is not ours to read.
        return peek != UInt8(ascii: "?") && peek != UInt8(ascii: "+")
    }

    private mutating func classBody(into atom: inout SimplePattern.Atom) -> Bool {
        guard peek != UInt8(ascii: "^") else { return false }
        var first = true
        while let byte = peek, byte < 128 {
            skip()
            // `[]…]` reads differently in ICU and ECMA-262: not ours.
            if byte == UInt8(ascii: "]") { return !first }
            first = false
            var low = byte
            if byte == UInt8(ascii: "\\") { guard let e = escapedPunctuation() else { return false }; low = e }
            else if byte == UInt8(ascii: "[") { return false }
            if peek == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] != UInt8(ascii: "]") {
                skip()
                guard var high = peek, high < 128, high != UInt8(ascii: "[") else { return false }
                skip()
                if high == UInt8(ascii: "\\") { guard let e = escapedPunctuation() else { return false }; high = e }
                guard low <= high else { return false }
                for b in low...high { atom.insert(b) }
            } else {
                atom.insert(low)
            }
        }
        return false
    }

    /// `\.` `\+` `\-` and the like; letters and digits after `\` are classes or anchors: not ours.
    private mutating func escapedPunctuation() -> UInt8? {
        guard let byte = peek, byte < 128, !Self.isAlphanumeric(byte) else { return nil }
        skip()
        return byte
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            skip()
            value = (value ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
            if value! > 10_000 { return nil }
        }
        return value
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    private static let meta: Set<UInt8> = Set("^$.|?*+()[]{}\\".utf8)
}
