/// JSON Schema's notions of equality and order, which differ from `JSONValue`'s `Hashable`:
/// `1` and `1.0` are the same number, and `true` is never equal to `1`.
enum SchemaValueComparison {
    /// Equality for `enum` and `const`.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null):
            return true
        case (.bool(let x), .bool(let y)):
            return x == y
        case (.string(let x), .string(let y)):
            return x == y
        case (.integer, _), (.number, _):
            return compare(a, b) == 0
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], equal(value, other) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// Orders two numbers: negative, zero or positive like `a - b`; nil when either is not a
    /// number. Two integers compare exactly; otherwise both are compared as doubles.
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            return x < y ? -1 : (x > y ? 1 : 0)
        default:
            guard let x = double(a), let y = double(b) else { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    static func isNumber(_ value: JSONValue) -> Bool {
        double(value) != nil
    }
}
