import Foundation
import JSONKit
import SQLStore
import Testing

/// Times in SQL: one stored form on both engines, read in one pass.
struct SQLTimeTests {
    @Test func theStoredFormComesBackToTheMillisecond() throws {
        for _ in 0..<1_000 {
            let millis = Int64.random(in: 0...4_102_444_800_000)   // 1970 to 2100
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            let text = SQLTime.text(date)
            #expect(text.utf8.count == 23 && text.contains(" "), "\(text)")
            let back = try #require(SQLTime.date(text))
            #expect(Int64((back.timeIntervalSince1970 * 1000).rounded()) == millis, "\(text)")
            #expect(SQLTime.text(back) == text, "read back and written again: the same text")
        }
    }

    @Test func rfc3339IsReadToo() throws {
        let utc = try #require(SQLTime.date("2026-11-30 01:02:03.456"))
        #expect(SQLTime.date("2026-11-30T01:02:03.456Z") == utc)
        #expect(SQLTime.date("2026-11-30T04:02:03.456+03:00") == utc)
        #expect(SQLTime.date("2026-11-30T01:02:03.456") == utc)
    }

    @Test func notATimeIsNil() {
        for text in ["", "2026-11-30", "2026-11-30 01:02", "2026-13-30 01:02:03", "2026-11-30 01:02:03 ", "2026-11-30  01:02:03"] {
            #expect(SQLTime.date(text) == nil, "\(text)")
        }
        // Messages keep to RFC 3339: the stored form is no time there.
        #expect(RFC3339.date(from: "2026-11-30 01:02:03.456") == nil)
        #expect(RFC3339.date(from: "2026-11-30T01:02:03.456") == nil)
    }
}
