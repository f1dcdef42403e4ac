import Contracts
import Foundation

/// Paths of the repository, found from this file's path.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("schemas", isDirectory: true)
    static let examples = schemas.appendingPathComponent("examples", isDirectory: true)

    /// File names of schemas/*.schema.json, sorted.
    static func schemaFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: schemas.path)
            .filter { $0.hasSuffix(".schema.json") }.sorted()
    }

    /// Message types that have an example in schemas/examples, sorted.
    static func exampleTypes() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: examples.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
    }

    static func exampleData(_ type: String) throws -> Data {
        try Data(contentsOf: examples.appendingPathComponent("\(type).json"))
    }

    static func example(_ type: String) throws -> JSONValue {
        try JSONValue.parse(exampleData(type))
    }
}

/// The registry over the real schemas, loaded once for all tests (loading is what a service
/// does once at start).
enum Schemas {
    static let registry: Result<SchemaRegistry, any Error> = Result { try SchemaRegistry(directory: Repository.schemas) }

    static func load() throws -> SchemaRegistry { try registry.get() }
}

extension JSONValue {
    /// Parses a JSON literal written in a test.
    static func literal(_ text: String) -> JSONValue {
        do { return try JSONValue.parse(Data(text.utf8)) } catch { fatalError("bad JSON in test: \(text)") }
    }

    /// A copy with the value at a dotted path (`"customer.phone"`, `"items[0].quantity"`)
    /// replaced, or removed when `value` is nil. Intermediate steps must exist.
    func setting(_ path: String, to value: JSONValue?) -> JSONValue {
        var steps: [String] = []
        for part in path.split(separator: ".") {
            let pieces = part.split(separator: "[")
            steps.append(String(pieces[0]))
            steps += pieces.dropFirst().map { "[" + $0.dropLast() }
        }
        return setting(steps[...], to: value)
    }

    private func setting(_ steps: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
        guard let step = steps.first else { return value ?? .null }
        let rest = steps.dropFirst()
        switch self {
        case .object(var fields):
            fields[step] = rest.isEmpty ? value : fields[step]!.setting(rest, to: value)
            return .object(fields)
        case .array(var elements):
            let i = Int(step.dropFirst())!
            if rest.isEmpty, value == nil { elements.remove(at: i) } else {
                elements[i] = rest.isEmpty ? value! : elements[i].setting(rest, to: value)
            }
            return .array(elements)
        default:
            fatalError("cannot step into \(self) with \(step)")
        }
    }
}
