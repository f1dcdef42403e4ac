/// Why a schema folder could not be loaded. Loading fails loudly rather than skipping a schema
/// or a keyword, so a service never runs believing it validates what it does not.
public enum SchemaLoadError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case duplicateID(String)
    case invalidSchema(location: String, reason: String)
    case unsupportedKeyword(String, location: String)
    case unresolvedReference(String, location: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "cannot read schema \(file): \(reason)"
        case .duplicateID(let id): return "two schemas have the $id \(id)"
        case .invalidSchema(let location, let reason): return "invalid schema at \(location): \(reason)"
        case .unsupportedKeyword(let keyword, let location): return "unsupported keyword \(keyword) at \(location)"
        case .unresolvedReference(let ref, let location): return "cannot resolve $ref \(ref) at \(location)"
        }
    }
}

/// Turns schema documents into `SchemaNode`s. Every `$ref` target becomes an entry in one
/// table (`SchemaTargets`), compiled once and referenced by index, which also lets schemas recurse.
struct SchemaCompiler {
    private var targets: SchemaTargets

    /// Keywords that only annotate; they never change whether an instance is valid.
    private static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples",
        "deprecated", "readOnly", "writeOnly",
    ]

    init(documents: [String: JSONValue]) {
        targets = SchemaTargets(documents: documents)
    }

    /// Registers a schema that callers may validate against directly, e.g. `"money.schema.json#"`.
    mutating func register(document: String, pointer: String) throws -> Int {
        try targets.register(document: document, pointer: pointer, from: "\(document)#\(pointer)")
    }

    /// Compiles every registered target, and the targets their `$ref`s register in turn.
    mutating func compileAll() throws -> (nodes: [SchemaNode], keys: [String: Int]) {
        var nodes: [SchemaNode] = []
        while nodes.count < targets.count {
            let (document, pointer, schema) = targets.source(at: nodes.count)
            nodes.append(try compile(schema, document: document, pointer: pointer))
        }
        return (nodes, targets.keys)
    }

    private mutating func compile(_ schema: JSONValue, document: String, pointer: String) throws -> SchemaNode {
        let location = "\(document)#\(pointer)"
        switch schema {
        case .bool(let b):
            return SchemaNode(boolean: b)
        case .object(let fields):
            var k = SchemaKeywords()
            for (keyword, value) in fields {
                try apply(keyword, value, to: &k, document: document, pointer: pointer)
            }
            return SchemaNode(keywords: k)
        default:
            throw SchemaLoadError.invalidSchema(location: location, reason: "a schema is an object or a boolean")
        }
    }

    private mutating func apply(_ keyword: String, _ value: JSONValue, to k: inout SchemaKeywords,
                                document: String, pointer: String) throws {
        let here = "\(pointer)/\(SchemaTargets.escape(keyword))"
        let read = KeywordReader(keyword: keyword, value: value, location: "\(document)#\(here)")
        func sub(_ v: JSONValue, _ p: String) throws -> SchemaNode { try compile(v, document: document, pointer: p) }
        func subs() throws -> [SchemaNode] {
            try read.array().enumerated().map { try sub($0.element, "\(here)/\($0.offset)") }
        }
        switch keyword {
        case _ where Self.annotations.contains(keyword):
            if keyword == "$id", !pointer.isEmpty {
                throw SchemaLoadError.unsupportedKeyword("$id below the root", location: read.location)
            }
        case "type":
            k.types = try read.types()
        case "properties":
            for (name, schema) in try read.object() {
                k.properties[name] = try sub(schema, "\(here)/\(SchemaTargets.escape(name))")
            }
        case "required": k.required = try read.strings()
        case "additionalProperties": k.additionalProperties = try sub(value, here)
        case "enum": k.enumValues = try read.array()
        case "const": k.constValue = value
        case "minLength": k.minLength = try read.count()
        case "maxLength": k.maxLength = try read.count()
        case "pattern": k.pattern = try read.pattern()
        case "format": k.format = try read.format()
        case "minimum": k.minimum = try read.number()
        case "maximum": k.maximum = try read.number()
        case "exclusiveMinimum": k.exclusiveMinimum = try read.number()
        case "exclusiveMaximum": k.exclusiveMaximum = try read.number()
        case "items": k.items = try sub(value, here)
        case "minItems": k.minItems = try read.count()
        case "maxItems": k.maxItems = try read.count()
        case "allOf": k.allOf = try subs()
        case "anyOf": k.anyOf = try subs()
        case "oneOf": k.oneOf = try subs()
        case "not": k.not = try sub(value, here)
        case "if": k.ifSchema = try sub(value, here)
        case "then": k.thenSchema = try sub(value, here)
        case "else": k.elseSchema = try sub(value, here)
        case "$ref": k.ref = try targets.resolve(try read.string(), base: document, from: read.location)
        default:
            throw SchemaLoadError.unsupportedKeyword(keyword, location: read.location)
        }
    }
}

/// Reads one keyword's value, throwing `invalidSchema` with its location when it has the wrong shape.
private struct KeywordReader {
    let keyword: String
    let value: JSONValue
    let location: String

    func fail(_ reason: String) -> SchemaLoadError {
        .invalidSchema(location: location, reason: "\(keyword) \(reason)")
    }

    func string() throws -> String {
        guard case .string(let s) = value else { throw fail("must be a string") }
        return s
    }

    func array() throws -> [JSONValue] {
        guard case .array(let a) = value else { throw fail("must be an array") }
        return a
    }

    func object() throws -> [String: JSONValue] {
        guard case .object(let o) = value else { throw fail("must be an object") }
        return o
    }

    func strings() throws -> [String] {
        try array().map { element in
            guard case .string(let s) = element else { throw fail("must hold strings") }
            return s
        }
    }

    func count() throws -> Int {
        guard SchemaType.integer.matches(value), let d = SchemaValueComparison.double(value), d >= 0 else {
            throw fail("must be a non-negative integer")
        }
        return Int(d)
    }

    func number() throws -> JSONValue {
        guard SchemaValueComparison.isNumber(value) else { throw fail("must be a number") }
        return value
    }

    func types() throws -> [SchemaType] {
        let names: [JSONValue] = if case .array(let a) = value { a } else { [value] }
        return try names.map { name in
            guard case .string(let s) = name, let t = SchemaType(rawValue: s) else { throw fail("has an unknown type") }
            return t
        }
    }

    func pattern() throws -> SchemaPattern {
        do { return try SchemaPattern(try string()) } catch let error as SchemaLoadError { throw error } catch {
            throw fail("is not a valid regular expression")
        }
    }

    func format() throws -> SchemaFormat {
        guard let f = SchemaFormat(rawValue: try string()) else { throw fail("is not a supported format") }
        return f
    }
}
