import Contracts
import Foundation
import Testing

/// `format: date-time` and `format: email`, through the public API (the kw.formats schema).
@Suite struct FormatTests {
    static let validDateTimes = [
        "2024-05-01T10:15:30Z", "2024-05-01T10:15:30.1Z", "2024-05-01T10:15:30.123456789Z",
        "2024-05-01T10:15:30+03:00", "2024-05-01T10:15:30-05:30", "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z",
    ]
    static let invalidDateTimes = [
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "0000-01-01T00:00:00Z",
        "2024-05-01T24:00:00Z", "2024-05-01T10:60:00Z", "2024-05-01T23:59:60Z", "2024-05-01T10:00:00",
        "2024-05-01T10:00:00+0300", "2024-05-01T10:00:00+24:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00Z",
        "2024-5-01T10:00:00Z", "２０２４-05-01T10:00:00Z", " 2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z ", "",
    ]
    static let validEmails = ["a@b.co", "anna.ivanova@example.ru", "user+tag@sub.example.com", "иван@пример.рф", "o'brien@example.ie", "A.B-9@Sub-1.Example.COM"]
    static let invalidEmails = ["nobody", "", "example.com"]
    /// Python's email check only looks for "@"; ours refuses these too.
    static let invalidEmailsForSwiftOnly = ["a@b", "a b@c.de", "@c.de", "a@", "a@@b.co", "a..b@c.de", ".a@b.co", "a@-b.co", "a@b..co", "a@b.co ",
                                            "a(b@c.de", "a\"b@c.de", "a@b_c.de", "a@b.co-", "a\u{7F}@b.co"]

    private func issues(_ field: String, _ value: String) throws -> [SchemaIssue]? {
        try KeywordSchemas.registry.get().validate(.object([field: .string(value)]), type: "kw.formats")
    }

    private func python(_ field: String, _ values: [String]) throws -> [Bool] {
        try PythonJSONSchema.validate(values.map { .object([field: .string($0)]) }, schema: "kw.formats.schema.json",
                                      directory: KeywordSchemas.directory.get()).map(\.valid)
    }

    @Test func dateTimesAgreeWithPython() throws {
        let all = Self.validDateTimes + Self.invalidDateTimes
        for (value, pythonValid) in zip(all, try python("at", all)) {
            let expectValid = Self.validDateTimes.contains(value)
            #expect(pythonValid == expectValid, "Python on \(value)")
            #expect(try issues("at", value) == (expectValid ? [] : [SchemaIssue(field: "at", problem: "invalid_format")]), "\(value)")
        }
    }

    /// A date-time the validator accepts must be one the messages' decoder can read.
    @Test(arguments: validDateTimes)
    func acceptedDateTimesDecode(_ value: String) throws {
        struct Stamp: Decodable { let at: Date }
        let stamp = try JSONCoding.decoder.decode(Stamp.self, from: JSONCoding.encoder.encode(["at": value]))
        #expect(stamp.at.timeIntervalSince1970 > 0)
    }

    /// RFC 3339 allows lower-case "t" and "z", and Python accepts them, but RFC3339.date(from:)
    /// cannot read them, so the Swift validator refuses them rather than pass a message that
    /// would fail to decode.
    @Test func lowerCaseSeparatorsAreRefused() throws {
        #expect(try python("at", ["2024-05-01t10:00:00z"]) == [true])
        #expect(try issues("at", "2024-05-01t10:00:00z") == [SchemaIssue(field: "at", problem: "invalid_format")])
        #expect(RFC3339.date(from: "2024-05-01t10:00:00z") == nil)
    }

    @Test func emailsAgreeWithPython() throws {
        let all = Self.validEmails + Self.invalidEmails
        for (value, pythonValid) in zip(all, try python("mail", all)) {
            let expectValid = Self.validEmails.contains(value)
            #expect(pythonValid == expectValid, "Python on \(value)")
            #expect(try issues("mail", value) == (expectValid ? [] : [SchemaIssue(field: "mail", problem: "invalid_format")]), "\(value)")
        }
    }

    @Test(arguments: invalidEmailsForSwiftOnly)
    func implausibleEmailsAreRefused(_ value: String) throws {
        #expect(try issues("mail", value) == [SchemaIssue(field: "mail", problem: "invalid_format")])
    }
}
