import Foundation

/// A schema compiled once at load time: keywords are parsed, regexes compiled and `$ref`s
/// resolved to indexes, so validating a message never touches the schema's JSON again.
final class SchemaNode: Sendable {
    /// `true` / `false` schemas (e.g. `"additionalProperties": false`); nil for object schemas.
    let boolean: Bool?

    let types: [SchemaType]?
    let properties: [String: SchemaNode]
    let required: [String]
    let additionalProperties: SchemaNode?
    let enumValues: [JSONValue]?
    let constValue: JSONValue?

    let minLength: Int?
    let maxLength: Int?
    let pattern: SchemaPattern?
    let format: SchemaFormat?

    let minimum: JSONValue?
    let maximum: JSONValue?
    let exclusiveMinimum: JSONValue?
    let exclusiveMaximum: JSONValue?

    let items: SchemaNode?
    let minItems: Int?
    let maxItems: Int?

    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let oneOf: [SchemaNode]
    let not: SchemaNode?
    let ifSchema: SchemaNode?
    let thenSchema: SchemaNode?
    let elseSchema: SchemaNode?

    /// Index into the registry's table of compiled `$ref` targets (lets schemas be recursive).
    let ref: Int?

    convenience init(boolean: Bool) {
        self.init(boolean: boolean, keywords: SchemaKeywords())
    }

    convenience init(keywords k: SchemaKeywords) {
        self.init(boolean: nil, keywords: k)
    }

    private init(boolean: Bool?, keywords k: SchemaKeywords) {
        self.boolean = boolean
        types = k.types
        properties = k.properties
        required = k.required
        additionalProperties = k.additionalProperties
        enumValues = k.enumValues
        constValue = k.constValue
        minLength = k.minLength
        maxLength = k.maxLength
        pattern = k.pattern
        format = k.format
        minimum = k.minimum
        maximum = k.maximum
        exclusiveMinimum = k.exclusiveMinimum
        exclusiveMaximum = k.exclusiveMaximum
        items = k.items
        minItems = k.minItems
        maxItems = k.maxItems
        allOf = k.allOf
        anyOf = k.anyOf
        oneOf = k.oneOf
        not = k.not
        ifSchema = k.ifSchema
        thenSchema = k.thenSchema
        elseSchema = k.elseSchema
        ref = k.ref
    }
}

/// The mutable bag the compiler fills before freezing it into an immutable `SchemaNode`.
struct SchemaKeywords {
    var types: [SchemaType]?
    var properties: [String: SchemaNode] = [:]
    var required: [String] = []
    var additionalProperties: SchemaNode?
    var enumValues: [JSONValue]?
    var constValue: JSONValue?
    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?
    var format: SchemaFormat?
    var minimum: JSONValue?
    var maximum: JSONValue?
    var exclusiveMinimum: JSONValue?
    var exclusiveMaximum: JSONValue?
    var items: SchemaNode?
    var minItems: Int?
    var maxItems: Int?
    var allOf: [SchemaNode] = []
    var anyOf: [SchemaNode] = []
    var oneOf: [SchemaNode] = []
    var not: SchemaNode?
    var ifSchema: SchemaNode?
    var thenSchema: SchemaNode?
    var elseSchema: SchemaNode?
    var ref: Int?
}

/// The JSON Schema primitive types.
enum SchemaType: String, Sendable {
    case null, boolean, object, array, number, integer, string

    /// Whether `value` is of this type; `integer` also accepts a `.number` with no fractional
    /// part, as JSON Schema does (`1.0` is an integer).
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string):
            return true
        case (.number, .integer), (.number, .number), (.integer, .integer):
            return true
        case (.integer, .number(let d)):
            return d.isFinite && d.rounded(.towardZero) == d
        default:
            return false
        }
    }
}

/// A `pattern`, compiled once. JSON Schema patterns are unanchored searches. The simple anchored
/// ones most of our fields use take `SimplePattern`'s fast path.
struct SchemaPattern: Sendable {
    let source: String
    let regex: NSRegularExpression
    let simple: SimplePattern?

    init(_ source: String) throws {
        self.source = source
        regex = try NSRegularExpression(pattern: source)
        simple = SimplePattern(source)
    }

    func matches(_ string: String) -> Bool {
        if let simple { return simple.matches(string) }
        return regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}
