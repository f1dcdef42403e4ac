import Contracts
import Foundation
import Testing

/// One instance of a message type, with what the Swift validator must say about it.
struct MessageCase: Sendable, CustomTestStringConvertible {
    let name: String
    let type: String
    let instance: JSONValue
    /// The issue the Swift validator must report; nil when the instance is valid.
    let expected: SchemaIssue?

    var testDescription: String { "\(type): \(name)" }

    static func invalid(_ name: String, _ type: String, _ instance: JSONValue, _ field: String, _ problem: String) -> Self {
        MessageCase(name: name, type: type, instance: instance, expected: SchemaIssue(field: field, problem: problem))
    }

    static func valid(_ name: String, _ type: String, _ instance: JSONValue) -> Self {
        MessageCase(name: name, type: type, instance: instance, expected: nil)
    }
}

/// Python's verdicts on every case, computed once with one Python run per schema.
private let pythonVerdicts: Result<[String: PythonJSONSchema.Verdict], any Error> = Result {
    var verdicts: [String: PythonJSONSchema.Verdict] = [:]
    let all = MessageCases.invalid + MessageCases.valid
    for (type, cases) in Dictionary(grouping: all, by: \.type) {
        let results = try PythonJSONSchema.validate(cases.map(\.instance), schema: "\(type).schema.json")
        for (c, verdict) in zip(cases, results) { verdicts[c.testDescription] = verdict }
    }
    return verdicts
}

@Suite struct MessageCaseTests {
    @Test(arguments: MessageCases.invalid)
    func bothValidatorsReject(_ c: MessageCase) throws {
        let python = try #require(try pythonVerdicts.get()[c.testDescription])
        #expect(!python.valid, "Python accepted it")

        let issues = try #require(try Schemas.load().validate(c.instance, type: c.type))
        let expected = try #require(c.expected)
        #expect(issues.contains(expected), "Swift said \(issues); Python said \(python.errors)")
    }

    @Test(arguments: MessageCases.valid)
    func bothValidatorsAccept(_ c: MessageCase) throws {
        let python = try #require(try pythonVerdicts.get()[c.testDescription])
        #expect(python.valid, "Python said \(python.errors)")
        #expect(try Schemas.load().validate(c.instance, type: c.type) == [])
    }

    @Test func casesAreDistinct() {
        let names = (MessageCases.invalid + MessageCases.valid).map(\.testDescription)
        #expect(Set(names).count == names.count)
        #expect(MessageCases.invalid.count >= 25)
    }
}
