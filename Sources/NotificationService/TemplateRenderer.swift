import Contracts
import Foundation
import Mustache

/// One template's parts, parsed: Mustache through swift-mustache. The subject and the text are
/// plain text (no HTML escaping); the HTML part escapes what it inserts.
struct ParsedTemplate: Sendable {
    var subject: MustacheTemplate?
    var text: MustacheTemplate
    var html: MustacheTemplate?

    /// Parses each part; a part that does not parse is a `validation_failed` naming it.
    init(subject: String?, text: String, html: String?) throws {
        self.subject = try subject.map { try Self.parse($0, field: "subject", plain: true) }
        self.text = try Self.parse(text, field: "text", plain: true)
        self.html = try html.map { try Self.parse($0, field: "html", plain: false) }
    }

    private static func parse(_ source: String, field: String, plain: Bool) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: plain ? "{{% CONTENT_TYPE: TEXT}}" + source : source)
        } catch {
            throw ErrorBody.validationFailed([ErrorDetail(field: field, problem: "invalid_template")],
                                             message: "the \(field) is not a valid Mustache template: \(error)")
        }
    }

    /// Renders every part with `params`. Every name the template looks up must be given: a
    /// missing one is a `validation_failed` (field `params.<name>`), never an empty gap.
    func render(_ params: [String: JSONValue], locale: String) throws -> NotificationRendered {
        let root = ParamScope(params)
        let rendered = NotificationRendered(locale: locale, subject: subject?.render(root), text: text.render(root),
                                            html: html?.render(root))
        let missing = root.missing.sorted()
        guard missing.isEmpty else {
            throw ErrorBody.validationFailed(missing.map { ErrorDetail(field: "params.\($0)", problem: "required") },
                                             message: "the template needs \(missing.joined(separator: ", "))")
        }
        return rendered
    }
}

/// The parameters as Mustache sees them, remembering each name looked up and not found. Lookups
/// climb the context stack to here, so a name found nowhere in a section is recorded too.
final class ParamScope: MustacheParent {
    private let values: [String: Any]
    private(set) var missing: Set<String> = []

    init(_ params: [String: JSONValue]) {
        values = params.compactMapValues(Self.value)
    }

    func child(named name: String) -> Any? {
        guard let value = values[name] else {
            missing.insert(name)
            return nil
        }
        return value
    }

    /// JSON as Mustache's values; null counts as not given.
    static func value(_ json: JSONValue) -> Any? {
        switch json {
        case .null: return nil
        case .bool(let b): return b
        case .integer(let i): return i
        case .number(let d): return d
        case .string(let s): return s
        case .array(let items): return items.compactMap(value)
        case .object(let fields): return fields.compactMapValues(value)
        }
    }
}
