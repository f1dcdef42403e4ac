import Foundation

/// Every message schema of a folder (`schemas/`), compiled once, ready to validate message bodies.
///
/// Supports the JSON Schema 2020-12 subset our schemas use (see schemas/README.md); loading a
/// schema with any other keyword or format throws, so nothing is silently left unchecked.
public final class SchemaRegistry: Sendable {
    private let nodes: [SchemaNode]
    /// `$id`, file name, and `"<$id>#<pointer>"` of every root, top-level `$defs` entry and
    /// `$ref` target, to its index in `nodes`.
    private let ids: [String: Int]

    /// Message types that have a schema: the file names minus `.schema.json`, sorted.
    public let types: [String]

    /// Per message type, its top-level fields marked `"writeOnly": true`: secrets, which are
    /// taken out of a message before it is dead-lettered.
    public let secretFields: [String: Set<String>]

    private static let suffix = ".schema.json"

    /// Loads every `*.schema.json` in `directory`, keyed by its `$id` (else its file name).
    public init(directory: URL) throws {
        let files: [URL]
        do {
            // By path: on Linux the URL variant lists nothing when the folder is a symlink.
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(Self.suffix) }.sorted()
                .map { directory.appendingPathComponent($0, isDirectory: false) }
        } catch {
            throw SchemaLoadError.unreadable(file: directory.path, reason: "\(error)")
        }
        var documents: [String: JSONValue] = [:]
        var fileIDs: [(file: String, id: String)] = []
        for url in files {
            let file = url.lastPathComponent
            let schema: JSONValue
            do { schema = try JSONValue.parse(Data(contentsOf: url)) } catch {
                throw SchemaLoadError.unreadable(file: file, reason: "\(error)")
            }
            let id = schema["$id"]?.stringValue ?? file
            guard documents[id] == nil else { throw SchemaLoadError.duplicateID(id) }
            documents[id] = schema
            fileIDs.append((file, id))
        }

        var compiler = SchemaCompiler(documents: documents)
        for (_, id) in fileIDs {
            _ = try compiler.register(document: id, pointer: "")
            // Compiling every definition up front checks them all, even unreferenced ones.
            for name in documents[id]?["$defs"]?.objectValue?.keys.sorted() ?? [] {
                _ = try compiler.register(document: id, pointer: "/$defs/\(SchemaTargets.escape(name))")
            }
        }
        let (nodes, keys) = try compiler.compileAll()
        var ids = keys
        for (file, id) in fileIDs {
            ids[id] = keys["\(id)#"]
            ids[file] = keys["\(id)#"]
        }
        self.nodes = nodes
        self.ids = ids
        types = fileIDs.map { String($0.file.dropLast(Self.suffix.count)) }.sorted()
        var secrets: [String: Set<String>] = [:]
        for (file, id) in fileIDs {
            let properties = documents[id]?["properties"]?.objectValue ?? [:]
            let names = properties.filter { $0.value["writeOnly"] == .bool(true) }.keys
            if !names.isEmpty { secrets[String(file.dropLast(Self.suffix.count))] = Set(names) }
        }
        secretFields = secrets
    }

    /// Validates a message body against `schemas/<type>.schema.json`; nil when there is no such
    /// schema, `[]` when the body is valid, else its issues sorted by field, then problem.
    public func validate(_ instance: JSONValue, type: String) -> [SchemaIssue]? {
        validate(instance, schemaID: type + Self.suffix)
    }

    /// Validates against a schema by `$id` or file name (`"money.schema.json"`), or a definition
    /// in it (`"order.placed.schema.json#/$defs/item"`); nil when there is no such schema.
    public func validate(_ instance: JSONValue, schemaID: String) -> [SchemaIssue]? {
        guard let index = ids[schemaID] else { return nil }
        var validator = SchemaValidator(nodes: nodes)
        validator.validate(nodes[index], instance)
        return SchemaIssue.ordered(validator.issues)
    }

    /// `$CRM_SCHEMAS_DIR` when set, else the repository's `schemas/` found from this source
    /// file's path: right for tests and local runs, not for a binary moved to another machine.
    public static func defaultDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["CRM_SCHEMAS_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Schema/
            .deletingLastPathComponent()  // JSONKit/
            .deletingLastPathComponent()  // Sources/
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("schemas", isDirectory: true)
    }
}
