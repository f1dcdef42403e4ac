/// An object that names one key twice. RFC 8259 leaves the meaning open (readers keep the first,
/// the last, or both), so a message like that could be validated as one thing and handled as
/// another: it is refused, naming the key's path (`customer.phone`, `items[2].sku`).
///
/// The path is built on the way out, one enclosing key or index per level, so well-formed
/// documents pay nothing for it.
public struct DuplicateKey: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public let path: [Step]
    /// The byte just after the second value.
    public let offset: Int

    /// The dotted path, spelled as schema issues spell theirs.
    public var field: String {
        path.reduce(into: "") { out, step in
            switch step {
            case .key(let key): out += out.isEmpty ? key : ".\(key)"
            case .index(let index): out += "[\(index)]"
            }
        }
    }

    public var description: String { "the key \(field) appears twice (byte \(offset))" }

    func inside(_ step: Step) -> DuplicateKey { DuplicateKey(path: [step] + path, offset: offset) }
}
