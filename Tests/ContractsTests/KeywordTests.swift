import Contracts
import Foundation
import Testing

/// Keyword by keyword: the Swift validator's exact issues, and Python jsonschema's agreement on
/// valid versus invalid.
@Suite struct KeywordTests {
    static let cases: [KeywordCase] = [
        KeywordCase("kw.type_list", #""s""#),
        KeywordCase("kw.type_list", "null"),
        KeywordCase("kw.type_list", "1", [("", "invalid_type")]),
        KeywordCase("kw.integer", "1.0"),
        KeywordCase("kw.integer", "-7"),
        KeywordCase("kw.integer", "1.5", [("", "invalid_type")]),
        KeywordCase("kw.integer", "true", [("", "invalid_type")]),
        KeywordCase("kw.integer", #""1""#, [("", "invalid_type")]),
        KeywordCase("kw.exclusive", "0", [("", "below_minimum")]),
        KeywordCase("kw.exclusive", "100", [("", "above_maximum")]),
        KeywordCase("kw.exclusive", "99.5"),
        KeywordCase("kw.exclusive", "0.001"),
        KeywordCase("kw.maximum", "10"),
        KeywordCase("kw.maximum", "10.5", [("", "above_maximum")]),
        KeywordCase("kw.maximum", #""not a number""#),
        KeywordCase("kw.array", "[]", [("", "too_few_items")]),
        KeywordCase("kw.array", #"["a", "b", "c"]"#, [("", "too_many_items")]),
        KeywordCase("kw.array", #"["a", 1]"#, [("[1]", "invalid_type")]),
        KeywordCase("kw.const", #"{"a": [1.0, "x"]}"#),
        KeywordCase("kw.const", #"{"a": [1, "y"]}"#, [("", "not_const")]),
        KeywordCase("kw.const", #"{"a": [1, "x"], "b": 2}"#, [("", "not_const")]),
        KeywordCase("kw.enum", "1.0"),
        KeywordCase("kw.enum", "null"),
        KeywordCase("kw.enum", "true", [("", "not_in_enum")]),
        KeywordCase("kw.enum", #""two""#, [("", "not_in_enum")]),
        KeywordCase("kw.one_of", "-1"),
        KeywordCase("kw.one_of", "0.5"),
        KeywordCase("kw.one_of", "5", [("", "no_match")]),
        KeywordCase("kw.one_of", "-0.5", [("", "no_match")]),
        KeywordCase("kw.all_of", #""a""#, [("", "too_short")]),
        KeywordCase("kw.all_of", #""abcd""#, [("", "too_long")]),
        KeywordCase("kw.all_of", #""ab""#),
        KeywordCase("kw.not", #""x""#, [("", "no_match")]),
        KeywordCase("kw.not", "1"),
        KeywordCase("kw.if", #"{"kind": "a"}"#, [("a", "required")]),
        KeywordCase("kw.if", #"{"kind": "b"}"#, [("b", "required")]),
        KeywordCase("kw.if", #"{"kind": "a", "a": 1}"#),
        KeywordCase("kw.additional", #"{"x": "s", "y": 1}"#),
        KeywordCase("kw.additional", #"{"y": "s", "z": 2.5}"#, [("y", "invalid_type"), ("z", "invalid_type")]),
        // Lengths count code points: "é" precomposed is one, "e" + combining accent is two.
        KeywordCase("kw.length", #""\u00e9""#, [("", "too_short")]),
        KeywordCase("kw.length", #""e\u0301""#),
        KeywordCase("kw.length", #""👍🏽""#),
        KeywordCase("kw.length", #""abc""#, [("", "too_long")]),
        // Patterns search anywhere unless anchored.
        KeywordCase("kw.pattern", #""abbc""#),
        KeywordCase("kw.pattern", #""ac""#, [("", "pattern_mismatch")]),
        KeywordCase("kw.pattern", "5"),
        KeywordCase("kw.false", "{}", [("", "not_allowed")]),
        KeywordCase("kw.recursive", #"{"child": {"child": {"price": {"amount": 1, "currency": "RUB"}}}}"#),
        KeywordCase("kw.recursive", #"{"child": {"child": {"price": {"amount": 1, "currency": "rub"}}}}"#,
                    [("child.child.price.currency", "pattern_mismatch")]),
        KeywordCase("kw.recursive", #"{"child": {"extra": 1}}"#, [("child.extra", "not_allowed")]),
        KeywordCase("kw.remote_def", #"{"code": "abc"}"#),
        KeywordCase("kw.remote_def", #"{"code": "ABC"}"#, [("code", "pattern_mismatch")]),
        KeywordCase("kw.formats", #"{"at": "2024-05-01T10:00:00Z", "day": "2024-02-29", "mail": "a@b.co"}"#),
        KeywordCase("kw.formats", #"{"at": 5, "day": null, "mail": []}"#),
        KeywordCase("kw.formats", #"{"at": "2024-05-01T10:00Z", "day": "2023-02-29", "mail": "nobody"}"#,
                    [("at", "invalid_format"), ("day", "invalid_format"), ("mail", "invalid_format")]),
    ]

    /// Python's verdicts, one run per keyword schema.
    static let python: Result<[String: PythonJSONSchema.Verdict], any Error> = Result {
        let dir = try KeywordSchemas.directory.get()
        var verdicts: [String: PythonJSONSchema.Verdict] = [:]
        for (type, group) in Dictionary(grouping: cases, by: \.type) {
            let results = try PythonJSONSchema.validate(group.map(\.instance), schema: "\(type).schema.json", directory: dir)
            for (c, v) in zip(group, results) { verdicts[c.testDescription] = v }
        }
        return verdicts
    }

    @Test(arguments: cases)
    func keyword(_ c: KeywordCase) throws {
        let issues = try KeywordSchemas.registry.get().validate(c.instance, type: c.type)
        #expect(issues == c.issues)
        let verdict = try #require(try Self.python.get()[c.testDescription])
        #expect(verdict.valid == c.issues.isEmpty, "Python said \(verdict.errors)")
    }

    @Test func everyKeywordSchemaIsValidAgainstTheMetaschema() throws {
        let verdicts = try PythonJSONSchema.checkSchemas(directory: KeywordSchemas.directory.get())
        #expect(verdicts.count == KeywordSchemas.files.count + 1)
        for v in verdicts { #expect(v.valid, "\(v.schema): \(v.errors)") }
    }

    @Test func everyKeywordSchemaHasCases() {
        let tested = Set(Self.cases.map(\.type))
        for type in KeywordSchemas.files.keys where type != "kw.shared" {
            #expect(tested.contains(type), "\(type) has no case")
        }
    }
}
