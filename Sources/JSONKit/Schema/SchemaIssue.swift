/// One reason an instance does not match its schema, shaped like a reply's `ErrorDetail`.
///
/// `field` is the dotted path of the offending value (`"customer.phone"`, `"items[2].price.amount"`,
/// `""` for the root); for `"required"` it is the path of the missing property.
/// `problem` is one of the `SchemaProblem` strings.
public struct SchemaIssue: Sendable, Equatable, Hashable {
    public let field: String
    public let problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
}

/// The vocabulary of `SchemaIssue.problem`: stable strings that travel to shops in error details.
enum SchemaProblem {
    static let required = "required"
    static let invalidType = "invalid_type"
    static let invalidFormat = "invalid_format"
    /// A property the schema does not declare, or any value where the schema is `false`.
    static let notAllowed = "not_allowed"
    static let notInEnum = "not_in_enum"
    static let notConst = "not_const"
    static let tooShort = "too_short"
    static let tooLong = "too_long"
    static let patternMismatch = "pattern_mismatch"
    static let belowMinimum = "below_minimum"
    static let aboveMaximum = "above_maximum"
    static let tooFewItems = "too_few_items"
    static let tooManyItems = "too_many_items"
    /// `anyOf`/`oneOf` matched no (or, for `oneOf`, more than one) branch, or `not` matched.
    static let noMatch = "no_match"
    static let invalidValue = "invalid_value"
}

/// One step from a value to a nested one; kept as a stack while walking and only rendered
/// into a string when an issue is reported, so valid messages cost no string building.
enum SchemaPathComponent {
    case key(String)
    case index(Int)

    static func render(_ path: [SchemaPathComponent]) -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }
}

extension SchemaIssue {
    /// Issues are reported sorted by field, then problem, so replies and logs are deterministic.
    static func ordered(_ issues: [SchemaIssue]) -> [SchemaIssue] {
        Set(issues).sorted { ($0.field, $0.problem) < ($1.field, $1.problem) }
    }
}
