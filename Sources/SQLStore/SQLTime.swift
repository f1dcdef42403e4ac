import Foundation
import JSONKit

/// The one text form of a time in both engines' tables: UTC, milliseconds, a space between date
/// and time (`2026-11-30 01:02:03.456`), which is also how GRDB wrote dates in the SQLite files
/// that exist. Fixed width, so text order is time order on either engine.
public enum SQLTime {
    public static func text(_ date: Date) -> String { RFC3339.format(date, separator: " ", zone: "") }

    /// Reads that form, and RFC 3339 (some columns keep the message's own time as sent).
    public static func date(_ text: String) -> Date? { RFC3339.storedDate(from: text) }
}
