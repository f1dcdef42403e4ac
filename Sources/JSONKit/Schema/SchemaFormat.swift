/// The `format` values our schemas assert. An unknown format is a load error rather than a
/// silently ignored annotation, so a schema never promises a check that does not happen.
enum SchemaFormat: String, Sendable {
    case dateTime = "date-time"
    case date
    case email

    /// Only strings are checked; JSON Schema formats ignore other types.
    func accepts(_ string: String) -> Bool {
        switch self {
        case .dateTime: return Self.isDateTime(string)
        case .date: return Self.isDate(string)
        case .email: return Self.isEmail(string)
        }
    }

    /// RFC 3339 `date-time`, in the one grammar `RFC3339.date(from:)` reads: a schema never
    /// promises a date that the coders cannot read.
    static func isDateTime(_ string: String) -> Bool { RFC3339.date(from: string) != nil }

    /// RFC 3339 `full-date`: `2024-05-01`.
    static func isDate(_ string: String) -> Bool { RFC3339.isFullDate(string) }

    /// A pragmatic address check, stricter than Python jsonschema's (which only looks for `@`):
    /// one `@`, a non-empty local part without spaces or dots at its ends, and a domain of at
    /// least two dot-separated labels of letters, digits and hyphens (non-ASCII allowed for IDN).
    static func isEmail(_ string: String) -> Bool {
        if string.utf8.allSatisfy({ $0 < 0x80 }) { return isASCIIEmail(Array(string.utf8)) }
        let parts = string.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64,
              local.first != ".", local.last != ".", !local.contains("..")
        else { return false }
        let forbiddenInLocal = Set("\"(),:;<>[\\]".unicodeScalars)
        for scalar in local.unicodeScalars {
            if scalar.value <= 0x20 || scalar.value == 0x7F || scalar.properties.isWhitespace
                || forbiddenInLocal.contains(scalar) { return false }
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
            for scalar in label.unicodeScalars {
                let ok = scalar.value > 0x7F
                    ? !scalar.properties.isWhitespace
                    : (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-")
                if !ok { return false }
            }
        }
        return true
    }

    /// `isEmail` of an all-ASCII address, on its bytes: the same rules without a Set or Unicode
    /// properties per call (it ran on every e-mail's effect result, ~3 % of the effect runner).
    private static func isASCIIEmail(_ bytes: [UInt8]) -> Bool {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), bytes.lastIndex(of: UInt8(ascii: "@")) == at else { return false }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        guard !local.isEmpty, local.count <= 64, local.first != dot, local.last != dot else { return false }
        var previous: UInt8 = 0
        for byte in local {
            if byte <= 0x20 || byte == 0x7F || "\"(),:;<>[\\]".utf8.contains(byte) || (byte == dot && previous == dot) { return false }
            previous = byte
        }
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != hyphen, label.last != hyphen else { return false }
            for byte in label {
                let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                guard letter || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == hyphen else { return false }
            }
        }
        return true
    }
}
