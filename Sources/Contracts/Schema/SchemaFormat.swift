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

    /// RFC 3339 `date-time`: `2024-05-01T10:15:30.250Z` or `…+03:00`.
    /// Stricter than RFC 3339 in two ways, both to promise what `RFC3339.date(from:)` can read:
    /// `T` and `Z` must be upper case, and leap seconds (`:60`) are refused (Python's
    /// rfc3339-validator refuses them too).
    static func isDateTime(_ string: String) -> Bool {
        var s = ASCIIScanner(string)
        guard s.date(), s.take(UInt8(ascii: "T")),
              let hour = s.number(2), hour <= 23, s.take(UInt8(ascii: ":")),
              let minute = s.number(2), minute <= 59, s.take(UInt8(ascii: ":")),
              let second = s.number(2), second <= 59
        else { return false }
        if s.take(UInt8(ascii: ".")) {
            guard s.digitRun() > 0 else { return false }
        }
        if s.take(UInt8(ascii: "Z")) { return s.atEnd }
        guard s.take(UInt8(ascii: "+")) || s.take(UInt8(ascii: "-")),
              let offsetHour = s.number(2), offsetHour <= 23, s.take(UInt8(ascii: ":")),
              let offsetMinute = s.number(2), offsetMinute <= 59
        else { return false }
        return s.atEnd
    }

    /// RFC 3339 `full-date`: `2024-05-01`.
    static func isDate(_ string: String) -> Bool {
        var s = ASCIIScanner(string)
        return s.date() && s.atEnd
    }

    /// A pragmatic address check, stricter than Python jsonschema's (which only looks for `@`):
    /// one `@`, a non-empty local part without spaces or dots at its ends, and a domain of at
    /// least two dot-separated labels of letters, digits and hyphens (non-ASCII allowed for IDN).
    static func isEmail(_ string: String) -> Bool {
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
}

/// Reads fixed-width ASCII fields; a non-ASCII byte never matches a digit, so full-width
/// digits and the like are refused.
private struct ASCIIScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ string: String) { bytes = Array(string.utf8) }

    var atEnd: Bool { index == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Exactly `width` digits as a number.
    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + width] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        index += width
        return value
    }

    /// Consumes as many digits as there are; returns how many.
    mutating func digitRun() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index - start
    }

    /// `YYYY-MM-DD` with a day that exists in that month (leap years included); year 0 is refused.
    mutating func date() -> Bool {
        guard let year = number(4), year >= 1, take(UInt8(ascii: "-")),
              let month = number(2), (1...12).contains(month), take(UInt8(ascii: "-")),
              let day = number(2), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
