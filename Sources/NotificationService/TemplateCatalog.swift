import Foundation

/// The built-in templates, read at start from `templates/<locale>/<name>.{subject,text,html}.mustache`
/// (`CRM_TEMPLATES_DIR`, else the repository's `templates/`). A store's own templates (the
/// database) come first; these are what every store has until it writes its own, so a better
/// built-in text reaches every store that kept the default.
public struct TemplateCatalog: Sendable {
    struct Entry: Sendable {
        var subject: String?
        var text: String
        var html: String?
    }

    /// By name, then locale.
    let entries: [String: [String: Entry]]

    init(entries: [String: [String: Entry]]) { self.entries = entries }

    public static let empty = TemplateCatalog(entries: [:])

    /// Reads every template in `directory`; a template without its `.text` part, or one that
    /// does not parse, stops the start with its file named.
    public static func load(from directory: URL = defaultDirectory()) throws -> TemplateCatalog {
        let files = FileManager.default
        var entries: [String: [String: Entry]] = [:]
        for locale in try files.contentsOfDirectory(atPath: directory.path).sorted() {
            let folder = directory.appendingPathComponent(locale, isDirectory: true)
            var parts: [String: [String: String]] = [:]
            for file in try files.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".mustache") {
                let pieces = file.dropLast(".mustache".count).split(separator: ".")
                guard pieces.count == 2 else { continue }
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                // Files end with a newline; the subject is one line.
                parts[String(pieces[0]), default: [:]][String(pieces[1])] = pieces[1] == "subject"
                    ? text.trimmingCharacters(in: .whitespacesAndNewlines) : text
            }
            for (name, part) in parts {
                guard let text = part["text"] else {
                    throw CatalogError(description: "templates/\(locale)/\(name): no \(name).text.mustache")
                }
                let entry = Entry(subject: part["subject"], text: text, html: part["html"])
                do {
                    _ = try ParsedTemplate(subject: entry.subject, text: entry.text, html: entry.html)
                } catch {
                    throw CatalogError(description: "templates/\(locale)/\(name) does not parse: \(error)")
                }
                entries[name, default: [:]][locale] = entry
            }
        }
        return TemplateCatalog(entries: entries)
    }

    public static func defaultDirectory() -> URL {
        if let dir = ProcessInfo.processInfo.environment["CRM_TEMPLATES_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // NotificationService/
            .deletingLastPathComponent()  // Sources/
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("templates", isDirectory: true)
    }

    public struct CatalogError: Error, CustomStringConvertible {
        public var description: String
    }
}
