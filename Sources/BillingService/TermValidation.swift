import Contracts
import Foundation

/// The checks a schema cannot make on personal terms, each failing with `validation_failed`
/// naming the field.
enum TermValidation {
    static func invalid(_ field: String, _ problem: String, _ message: String) -> ErrorBody {
        ErrorBody.validationFailed([ErrorDetail(field: field, problem: problem)], message: "\(field): \(message)")
    }

    static func percent(_ text: String, field: String = "percent") throws -> ScaledDecimal {
        guard let value = ScaledDecimal(text), value.micro <= 100_000_000 else {
            throw invalid(field, "invalid_percent", "\(text) is not a percent from 0 to 100")
        }
        return value
    }

    static func period(starts: Date, ends: Date?, field: String = "ends_at") throws {
        if let ends, ends <= starts { throw invalid(field, "before_start", "the period ends before it starts") }
    }

    static func zone(_ identifier: String) throws -> TimeZone {
        guard let zone = TimeZone(identifier: identifier) else {
            throw invalid("time_zone", "unknown_time_zone", "\(identifier) is not a known time zone")
        }
        return zone
    }

    /// A local `YYYY-MM-DDTHH:MM:SS` of `zone` as the instant it names. A time that does not exist
    /// there (skipped by a clock change) is refused rather than moved.
    static func localTime(_ text: String, in zone: TimeZone, field: String) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
        let bad = invalid(field, "invalid_local_time", "\(text) is not a time of \(zone.identifier)")
        guard parts.count == 6 else { throw bad }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { throw bad }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == parts[0], back.month == parts[1], back.day == parts[2], back.hour == parts[3],
              back.minute == parts[4], back.second == parts[5] else { throw bad }
        return date
    }

    /// A new id: `prefix-` and 16 random hex digits (random, not from the message id: ids of
    /// different senders' messages may meet).
    static func newID(_ prefix: String) -> String {
        prefix + "-" + RandomID.uuid().replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    static func productTypes(_ types: [String]?) -> [String] { Array(Set(types ?? [])).sorted() }
}
