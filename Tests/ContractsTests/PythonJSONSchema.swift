import Contracts
import Foundation

/// The reference validator: Python's `jsonschema` (Draft 2020-12, formats asserted), run through
/// scripts/validate_json.py. The Swift validator is tested against its verdicts.
enum PythonJSONSchema {
    struct Verdict: Decodable, Sendable {
        let valid: Bool
        let errors: [PythonError]
    }

    struct PythonError: Decodable, Sendable, CustomStringConvertible {
        let path: String
        let keyword: String?
        let message: String
        var description: String { "\(path): \(keyword ?? "-"): \(message)" }
    }

    struct SchemaVerdict: Decodable, Sendable {
        let schema: String
        let valid: Bool
        let errors: [PythonError]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = Repository.root.appendingPathComponent("scripts/validate_json.py")

    /// Validates many instances in one Python run (starting Python costs far more than validating).
    static func validate(_ instances: [JSONValue], schema: String,
                         directory: URL = Repository.schemas) throws -> [Verdict] {
        let input = try JSONEncoder().encode(instances)
        let lines = try run([directory.path, schema], input: input)
        guard lines.count == instances.count else {
            throw Failure(description: "python returned \(lines.count) verdicts for \(instances.count) instances")
        }
        return try lines.map { try JSONDecoder().decode(Verdict.self, from: Data($0.utf8)) }
    }

    /// Checks every schema of the folder against the 2020-12 metaschema.
    static func checkSchemas(directory: URL = Repository.schemas) throws -> [SchemaVerdict] {
        try run([directory.path, "--check-schemas"], input: Data())
            .map { try JSONDecoder().decode(SchemaVerdict.self, from: Data($0.utf8)) }
    }

    private static func run(_ arguments: [String], input: Data) throws -> [String] {
        try PythonScript.lines(script, arguments, input: input)
    }
}
