import Contracts
import Foundation
import SQLStore

/// Where a send finds its template: the store's own (`notification_template`) in the locale, else
/// the built-in one in the locale, and the same again in the store's locale when that differs.
struct TemplateStore: Sendable {
    let catalog: TemplateCatalog

    /// The template a send in `locale` uses, or nil when there is none in either locale.
    func find(_ db: SQLDatabase, storeID: String, name: String, locale: String, storeLocale: String) throws -> NotificationTemplateView? {
        for candidate in locale == storeLocale ? [locale] : [locale, storeLocale] {
            if let own = try stored(db, storeID: storeID, name: name, locale: candidate) { return own }
            if let builtin = builtin(name: name, locale: candidate) { return builtin }
        }
        return nil
    }

    /// Like `find`, as a `validation_failed` on `template` when there is none.
    func require(_ db: SQLDatabase, storeID: String, name: String, locale: String, storeLocale: String) throws -> NotificationTemplateView {
        guard let found = try find(db, storeID: storeID, name: name, locale: locale, storeLocale: storeLocale) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "template", problem: "not_found")],
                                             message: "no template \(name) in \(locale) or \(storeLocale)")
        }
        return found
    }

    func stored(_ db: SQLDatabase, storeID: String, name: String, locale: String) throws -> NotificationTemplateView? {
        try db.row("""
            SELECT name, locale, subject, text, html, updated_at FROM notification_template
            WHERE store_id = ? AND name = ? AND locale = ?
            """, [storeID, name, locale]).map(Self.view)
    }

    func builtin(name: String, locale: String) -> NotificationTemplateView? {
        catalog.entries[name]?[locale].map {
            NotificationTemplateView(name: name, locale: locale, subject: $0.subject, text: $0.text, html: $0.html,
                                     source: .builtin, updatedAt: nil)
        }
    }

    /// The store's own templates and the built-in ones it has not replaced, by name and locale.
    func all(_ db: SQLDatabase, storeID: String) throws -> [NotificationTemplateView] {
        let own = try db.rows("""
            SELECT name, locale, subject, text, html, updated_at FROM notification_template WHERE store_id = ?
            """, [storeID]).map(Self.view)
        let replaced = Set(own.map { "\($0.name)/\($0.locale)" })
        let builtins = catalog.entries.flatMap { name, locales in
            locales.keys.compactMap { builtin(name: name, locale: $0) }
        }.filter { !replaced.contains("\($0.name)/\($0.locale)") }
        return (own + builtins).sorted { ($0.name, $0.locale) < ($1.name, $1.locale) }
    }

    func save(_ db: SQLDatabase, _ upsert: NotificationTemplateUpsert, author: String, at: Date) throws {
        try db.execute("""
            INSERT INTO notification_template (store_id, name, locale, subject, text, html, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id, name, locale) DO UPDATE SET subject = excluded.subject, text = excluded.text,
                html = excluded.html, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, [upsert.storeID, upsert.name, upsert.locale, upsert.subject, upsert.text, upsert.html,
                  RFC3339.string(from: at), author])
    }

    private static func view(_ row: SQLRow) -> NotificationTemplateView {
        NotificationTemplateView(name: row["name"], locale: row["locale"], subject: row["subject"], text: row["text"],
                                 html: row["html"], source: .store,
                                 updatedAt: (row["updated_at"] as String?).flatMap(RFC3339.date(from:)))
    }
}
