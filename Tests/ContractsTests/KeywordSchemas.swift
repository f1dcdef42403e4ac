import Contracts
import Foundation
import Testing

/// Small schemas, one or two keywords each, for the keywords and corners the message schemas do
/// not reach. Written once to a temporary folder (with money.schema.json, to test cross-file `$ref`).
enum KeywordSchemas {
    static let files: [String: String] = [
        "kw.type_list": #"{"type": ["string", "null"]}"#,
        "kw.integer": #"{"type": "integer"}"#,
        "kw.exclusive": #"{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100}"#,
        "kw.maximum": #"{"maximum": 10}"#,
        "kw.array": #"{"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}}"#,
        "kw.const": #"{"const": {"a": [1, "x"]}}"#,
        "kw.enum": #"{"enum": [1, "one", null]}"#,
        "kw.one_of": #"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#,
        "kw.all_of": #"{"allOf": [{"minLength": 2}, {"maxLength": 3}]}"#,
        "kw.not": #"{"not": {"type": "string"}}"#,
        "kw.if": #"{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}}"#,
        "kw.additional": #"{"type": "object", "properties": {"x": {}}, "additionalProperties": {"type": "integer"}}"#,
        "kw.length": #"{"type": "string", "minLength": 2, "maxLength": 2}"#,
        "kw.pattern": #"{"pattern": "b+"}"#,
        "kw.false": "false",
        "kw.recursive": #"""
            {"$defs": {"node": {"type": "object", "additionalProperties": false, "properties": {
                "child": {"$ref": "#/$defs/node"}, "price": {"$ref": "money.schema.json"}}}},
             "$ref": "#/$defs/node"}
            """#,
        "kw.shared": #"{"$defs": {"code": {"type": "string", "pattern": "^[a-z]+$"}}}"#,
        "kw.remote_def": #"{"type": "object", "properties": {"code": {"$ref": "kw.shared.schema.json#/$defs/code"}}}"#,
        "kw.formats": #"{"properties": {"at": {"format": "date-time"}, "day": {"format": "date"}, "mail": {"format": "email"}}}"#,
    ]

    static let directory: Result<URL, any Error> = Result {
        removeStaleFolders()
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("contracts-keywords-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (type, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent("\(type).schema.json"))
        }
        try FileManager.default.copyItem(
            at: Repository.schemas.appendingPathComponent("money.schema.json"),
            to: dir.appendingPathComponent("money.schema.json"))
        return dir
    }

    /// Test runs have no suite teardown to delete their folder; the next run deletes folders an
    /// hour old (old enough that no running test still reads them).
    private static func removeStaleFolders() {
        let fm = FileManager.default, tmp = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("contracts-keywords-") {
            let url = tmp.appendingPathComponent(name)
            let modified = (try? fm.attributesOfItem(atPath: url.path)[.modificationDate]) as? Date
            if let modified, modified < Date(timeIntervalSinceNow: -3600) { try? fm.removeItem(at: url) }
        }
    }

    static let registry: Result<SchemaRegistry, any Error> = Result {
        try SchemaRegistry(directory: directory.get())
    }
}

/// An instance of a keyword schema and the exact issues the Swift validator must report.
struct KeywordCase: Sendable, CustomTestStringConvertible {
    let type: String
    let json: String
    let issues: [SchemaIssue]

    var testDescription: String { "\(type) \(json)" }
    var instance: JSONValue { .literal(json) }

    init(_ type: String, _ json: String, _ issues: [(String, String)] = []) {
        self.type = type
        self.json = json
        self.issues = issues.map { SchemaIssue(field: $0.0, problem: $0.1) }
    }
}
