import Foundation

/// The table of schemas that can be reached by `$ref` or validated against by id, keyed by a
/// canonical `"<document $id>#<JSON pointer>"` (`"money.schema.json#"`,
/// `"order.placed.schema.json#/$defs/item"`), each at a stable index.
struct SchemaTargets {
    let documents: [String: JSONValue]
    private(set) var keys: [String: Int] = [:]
    private var sources: [(document: String, pointer: String, schema: JSONValue)] = []

    init(documents: [String: JSONValue]) {
        self.documents = documents
    }

    var count: Int { sources.count }

    func source(at index: Int) -> (document: String, pointer: String, schema: JSONValue) {
        sources[index]
    }

    /// The index of the schema at `pointer` inside `document`, adding it to the table when new.
    /// Throws when the document or the pointer's target does not exist.
    mutating func register(document: String, pointer: String, from location: String) throws -> Int {
        let key = "\(document)#\(pointer)"
        if let index = keys[key] { return index }
        guard let root = documents[document], let schema = Self.navigate(root, pointer: pointer) else {
            throw SchemaLoadError.unresolvedReference(key, location: location)
        }
        keys[key] = sources.count
        sources.append((document, pointer, schema))
        return sources.count - 1
    }

    /// Resolves a `$ref` written in `base`: `"#/$defs/x"` (same document), `"money.schema.json"`
    /// and `"money.schema.json#/$defs/x"` (another document, relative to `base` like a URI).
    /// Plain-name anchors (`"#name"`) are not supported.
    mutating func resolve(_ ref: String, base: String, from location: String) throws -> Int {
        let hash = ref.firstIndex(of: "#")
        let uri = String(ref[..<(hash ?? ref.endIndex)])
        let fragment = hash.map { String(ref[ref.index(after: $0)...]) } ?? ""
        guard let pointer = fragment.removingPercentEncoding, pointer.isEmpty || pointer.hasPrefix("/") else {
            throw SchemaLoadError.unresolvedReference(ref, location: location)
        }
        let document = uri.isEmpty ? base : Self.resolveDocument(uri, base: base)
        return try register(document: document, pointer: pointer, from: location)
    }

    /// Joins a relative document reference onto the base's folder, as URI resolution does for
    /// the simple names we use; absolute URIs are taken as they are.
    static func resolveDocument(_ uri: String, base: String) -> String {
        if uri.contains(":") || uri.hasPrefix("/") { return uri }
        guard let slash = base.lastIndex(of: "/") else { return uri }
        return String(base[...slash]) + uri
    }

    /// Follows a JSON pointer (RFC 6901) from `root`; nil when a step does not exist.
    static func navigate(_ root: JSONValue, pointer: String) -> JSONValue? {
        guard !pointer.isEmpty else { return root }
        var current = root
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let fields):
                guard let next = fields[token] else { return nil }
                current = next
            case .array(let elements):
                guard let i = Int(token), elements.indices.contains(i) else { return nil }
                current = elements[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Escapes one JSON pointer token.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
