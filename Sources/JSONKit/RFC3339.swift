import Foundation

/// RFC 3339 timestamps, one grammar for the schema's `date-time` and `date` formats and for the
/// coders: written in UTC with milliseconds (`2024-05-01T10:15:30.250Z`), read with any fraction
/// and offset. Stricter than RFC 3339 in two ways: `T` and `Z` must be upper case, and leap
/// seconds (`:60`) are refused (Python's rfc3339-validator refuses them too); year 0 is refused.
/// Hand-rolled because every message carries dates and Foundation's format styles cost more
/// than the rest of the decoding.
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        format(date, separator: "T", zone: "Z")
    }

    /// `YYYY-MM-DD<separator>HH:MM:SS.mmm<zone>` in UTC; also the shape GRDB stores dates in
    /// (separator " ", no zone), so the hot path can bind dates as text without a DateFormatter.
    public static func format(_ date: Date, separator: String, zone: String) -> String {
        // Down to the millisecond, except a value less than a microsecond below one: that is the
        // millisecond as a double holds it (a `Date` counts from 2001, so its 1970 seconds carry
        // an error near 1e-7 s): `.461` read back must not be written as `.460`.
        let scaled = date.timeIntervalSince1970 * 1000, nearest = scaled.rounded()
        let millis = Int64(abs(scaled - nearest) < 1e-3 ? nearest : scaled.rounded(.down))
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let ms = Int(millis - Int64(seconds) * 1000)
        // Written digit by digit into a byte buffer: this runs for every message and row.
        var out = [UInt8]()
        out.reserveCapacity(24 + separator.utf8.count + zone.utf8.count)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(48 + rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        out.append(45)
        digits(Int(parts.tm_mon) + 1, 2)
        out.append(45)
        digits(Int(parts.tm_mday), 2)
        out.append(contentsOf: separator.utf8)
        digits(Int(parts.tm_hour), 2)
        out.append(58)
        digits(Int(parts.tm_min), 2)
        out.append(58)
        digits(Int(parts.tm_sec), 2)
        out.append(46)
        digits(ms, 3)
        out.append(contentsOf: zone.utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// A `date-time` (`2024-05-01T10:15:30.250Z`, `…+03:00`) as a date; nil when it is not one.
    public static func date(from string: String) -> Date? { parse(string, storedForm: false) }

    /// RFC 3339, and the form times are stored in SQL (`2026-11-30 01:02:03.456`): a space for
    /// the `T`, and no zone meaning UTC. Read in one pass: rows carry several times each.
    public static func storedDate(from string: String) -> Date? { parse(string, storedForm: true) }

    private static func parse(_ string: String, storedForm: Bool) -> Date? {
        var s = RFC3339Scanner(string)
        guard let (year, month, day) = s.fullDate(), s.take(UInt8(ascii: "T")) || storedForm && s.take(UInt8(ascii: " ")),
              let hour = s.number(2), hour <= 23, s.take(UInt8(ascii: ":")),
              let minute = s.number(2), minute <= 59, s.take(UInt8(ascii: ":")),
              let second = s.number(2), second <= 59
        else { return nil }
        var fraction = 0.0
        if s.take(UInt8(ascii: ".")) {
            guard let digits = s.fraction() else { return nil }
            fraction = digits
        }
        var offset = 0
        if !s.take(UInt8(ascii: "Z")) && !(storedForm && s.atEnd) {
            let sign: Int
            if s.take(UInt8(ascii: "+")) { sign = 1 } else if s.take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
            guard let oh = s.number(2), oh <= 23, s.take(UInt8(ascii: ":")), let om = s.number(2), om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        }
        guard s.atEnd else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// RFC 3339 `full-date`: `2024-05-01`, a day that exists.
    public static func isFullDate(_ string: String) -> Bool {
        var s = RFC3339Scanner(string)
        return s.fullDate() != nil && s.atEnd
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Reads fixed-width ASCII fields; a non-ASCII byte never matches a digit, so full-width
/// digits and the like are refused.
private struct RFC3339Scanner {
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

    /// One or more digits after the point, as a fraction of a second.
    mutating func fraction() -> Double? {
        var value = 0.0, scale = 0.1
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value += Double(bytes[index] - UInt8(ascii: "0")) * scale
            scale /= 10
            index += 1
        }
        return index > start ? value : nil
    }

    /// `YYYY-MM-DD` with a day that exists in that month (leap years included); year 0 is refused.
    mutating func fullDate() -> (year: Int, month: Int, day: Int)? {
        guard let year = number(4), year >= 1, take(UInt8(ascii: "-")),
              let month = number(2), (1...12).contains(month), take(UInt8(ascii: "-")),
              let day = number(2), day >= 1
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1] ? (year, month, day) : nil
    }
}
