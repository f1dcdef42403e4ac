import Synchronization

/// Templates parsed once per text, not once per send: parsing was a tenth of the consumer's time
/// in the e-mail benchmark. Keyed by the parts' text itself, so an edited template is simply a new
/// entry; the cache is emptied when it holds `limit` entries (stores' own templates are few).
final class ParsedTemplateCache: Sendable {
    private struct Key: Hashable {
        var subject: String?
        var text: String
        var html: String?
    }

    private let entries = Mutex<[Key: ParsedTemplate]>([:])
    let limit: Int

    init(limit: Int = 512) { self.limit = limit }

    /// The parsed template of these parts; a part that does not parse throws as `ParsedTemplate` does (never cached).
    func parsed(subject: String?, text: String, html: String?) throws -> ParsedTemplate {
        let key = Key(subject: subject, text: text, html: html)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let parsed = try ParsedTemplate(subject: subject, text: text, html: html)
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll() }
            entries[key] = parsed
        }
        return parsed
    }
}
