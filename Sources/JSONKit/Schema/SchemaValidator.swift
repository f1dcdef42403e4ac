/// One walk of an instance against a compiled schema, collecting issues.
///
/// Branches of `anyOf`/`oneOf`/`not`/`if` are tried in `firstFailureOnly` mode: they only need a
/// yes or no, so they stop at the first failure and render no paths.
struct SchemaValidator {
    private let nodes: [SchemaNode]
    private let firstFailureOnly: Bool
    private var path: [SchemaPathComponent] = []
    private(set) var issues: [SchemaIssue] = []
    private(set) var failed = false

    init(nodes: [SchemaNode], firstFailureOnly: Bool = false) {
        self.nodes = nodes
        self.firstFailureOnly = firstFailureOnly
    }

    /// True once the answer is known in yes/no mode: later checks cannot change it.
    private var done: Bool { firstFailureOnly && failed }

    private mutating func report(_ problem: String, at child: SchemaPathComponent? = nil) {
        failed = true
        guard !firstFailureOnly else { return }
        if let child { path.append(child) }
        issues.append(SchemaIssue(field: SchemaPathComponent.render(path), problem: problem))
        if child != nil { path.removeLast() }
    }

    private func passes(_ node: SchemaNode, _ value: JSONValue) -> Bool {
        var branch = SchemaValidator(nodes: nodes, firstFailureOnly: true)
        branch.validate(node, value)
        return !branch.failed
    }

    private mutating func validate(_ node: SchemaNode, _ value: JSONValue, at child: SchemaPathComponent) {
        path.append(child)
        validate(node, value)
        path.removeLast()
    }

    mutating func validate(_ node: SchemaNode, _ value: JSONValue) {
        if let allowed = node.boolean {
            if !allowed { report(SchemaProblem.notAllowed) }
            return
        }
        // A value of the wrong type makes the other keywords meaningless: report only that.
        if let types = node.types, !types.contains(where: { $0.matches(value) }) {
            report(SchemaProblem.invalidType)
            return
        }
        if let ref = node.ref {
            validate(nodes[ref], value)
            if done { return }
        }
        if let values = node.enumValues, !values.contains(where: { SchemaValueComparison.equal($0, value) }) {
            report(SchemaProblem.notInEnum)
        }
        if let constant = node.constValue, !SchemaValueComparison.equal(constant, value) {
            report(SchemaProblem.notConst)
        }
        switch value {
        case .string(let s): validateString(node, s)
        case .integer, .number: validateNumber(node, value)
        case .object(let fields): validateObject(node, fields)
        case .array(let elements): validateArray(node, elements)
        case .null, .bool: break
        }
        if done { return }
        validateCombinators(node, value)
    }

    private mutating func validateString(_ node: SchemaNode, _ s: String) {
        if node.minLength != nil || node.maxLength != nil {
            // JSON Schema counts code points, not grapheme clusters or UTF-16 units.
            let length = s.unicodeScalars.count
            if let min = node.minLength, length < min { report(SchemaProblem.tooShort) }
            if let max = node.maxLength, length > max { report(SchemaProblem.tooLong) }
        }
        if let pattern = node.pattern, !pattern.matches(s) { report(SchemaProblem.patternMismatch) }
        if let format = node.format, !format.accepts(s) { report(SchemaProblem.invalidFormat) }
    }

    private mutating func validateNumber(_ node: SchemaNode, _ n: JSONValue) {
        func compared(_ bound: JSONValue?) -> Int? { bound.flatMap { SchemaValueComparison.compare(n, $0) } }
        if let c = compared(node.minimum), c < 0 { report(SchemaProblem.belowMinimum) }
        if let c = compared(node.exclusiveMinimum), c <= 0 { report(SchemaProblem.belowMinimum) }
        if let c = compared(node.maximum), c > 0 { report(SchemaProblem.aboveMaximum) }
        if let c = compared(node.exclusiveMaximum), c >= 0 { report(SchemaProblem.aboveMaximum) }
    }

    private mutating func validateObject(_ node: SchemaNode, _ fields: [String: JSONValue]) {
        for name in node.required where fields[name] == nil {
            report(SchemaProblem.required, at: .key(name))
            if done { return }
        }
        for (key, value) in fields {
            if let property = node.properties[key] {
                validate(property, value, at: .key(key))
            } else if let additional = node.additionalProperties {
                validate(additional, value, at: .key(key))
            }
            if done { return }
        }
    }

    private mutating func validateArray(_ node: SchemaNode, _ elements: [JSONValue]) {
        if let min = node.minItems, elements.count < min { report(SchemaProblem.tooFewItems) }
        if let max = node.maxItems, elements.count > max { report(SchemaProblem.tooManyItems) }
        guard let items = node.items else { return }
        for (i, element) in elements.enumerated() {
            validate(items, element, at: .index(i))
            if done { return }
        }
    }

    private mutating func validateCombinators(_ node: SchemaNode, _ value: JSONValue) {
        for schema in node.allOf {
            validate(schema, value)
            if done { return }
        }
        if !node.anyOf.isEmpty, !node.anyOf.contains(where: { passes($0, value) }) {
            report(SchemaProblem.noMatch)
        }
        if !node.oneOf.isEmpty {
            var matches = 0
            for schema in node.oneOf where passes(schema, value) {
                matches += 1
                if matches > 1 { break }
            }
            if matches != 1 { report(SchemaProblem.noMatch) }
        }
        if let not = node.not, passes(not, value) { report(SchemaProblem.noMatch) }
        if let condition = node.ifSchema {
            let branch = passes(condition, value) ? node.thenSchema : node.elseSchema
            if let branch { validate(branch, value) }
        }
    }
}
