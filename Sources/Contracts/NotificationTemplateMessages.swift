import Foundation

/// `notification.template.upsert` (schemas/notification.template.upsert.schema.json): a store's own
/// version of a template in one locale, replacing the built-in one for that store. `subject` is
/// for e-mail; `html` is optional (a text-only e-mail).
public struct NotificationTemplateUpsert: Codable, Sendable, Equatable {
    public var storeID: String
    public var name: String
    public var locale: String
    public var subject: String?
    public var text: String
    public var html: String?

    public init(storeID: String, name: String, locale: String, subject: String? = nil, text: String, html: String? = nil) {
        self.storeID = storeID
        self.name = name
        self.locale = locale
        self.subject = subject
        self.text = text
        self.html = html
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", name, locale, subject, text, html }
}

/// `notification.template.get` (schemas/notification.template.get.schema.json): the template a
/// send in `locale` would use (the store's own, else the built-in one).
public struct NotificationTemplateGet: Codable, Sendable, Equatable {
    public var storeID: String
    public var name: String
    public var locale: String

    public init(storeID: String, name: String, locale: String) {
        self.storeID = storeID
        self.name = name
        self.locale = locale
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", name, locale }
}

/// `notification.template.list` (schemas/notification.template.list.schema.json).
public struct NotificationTemplateList: Codable, Sendable, Equatable {
    public var storeID: String
    public init(storeID: String) { self.storeID = storeID }
    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}

/// One template as answered (schemas/notification.template.schema.json). `source`: `store` for
/// the store's own, `builtin` for the one shipped in `templates/`.
public struct NotificationTemplateView: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable { case store, builtin }

    public var name: String
    public var locale: String
    public var subject: String?
    public var text: String
    public var html: String?
    public var source: Source
    public var updatedAt: Date?

    public init(name: String, locale: String, subject: String?, text: String, html: String?, source: Source, updatedAt: Date?) {
        self.name = name
        self.locale = locale
        self.subject = subject
        self.text = text
        self.html = html
        self.source = source
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey { case name, locale, subject, text, html, source, updatedAt = "updated_at" }
}

/// The answer to `notification.template.list` (schemas/notification.template.list.result.schema.json).
public struct NotificationTemplateListResult: Codable, Sendable, Equatable {
    public var templates: [NotificationTemplateView]
    public init(templates: [NotificationTemplateView]) { self.templates = templates }
}

/// `notification.template.render` (schemas/notification.template.render.schema.json): a preview,
/// with the same lookup and the same checks as a send; nothing is sent.
public struct NotificationTemplateRender: Codable, Sendable, Equatable {
    public var storeID: String
    public var name: String
    public var locale: String?
    public var params: [String: JSONValue]

    public init(storeID: String, name: String, locale: String? = nil, params: [String: JSONValue]) {
        self.storeID = storeID
        self.name = name
        self.locale = locale
        self.params = params
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", name, locale, params }
}

/// A rendered template (schemas/notification.template.rendered.schema.json).
public struct NotificationRendered: Codable, Sendable, Equatable {
    public var locale: String
    public var subject: String?
    public var text: String
    public var html: String?

    public init(locale: String, subject: String?, text: String, html: String?) {
        self.locale = locale
        self.subject = subject
        self.text = text
        self.html = html
    }
}
