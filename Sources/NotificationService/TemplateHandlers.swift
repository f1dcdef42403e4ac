import Contracts
import SQLStore
import WorkerKit

/// `notification.template.upsert/get/list/render`.
struct TemplateHandlers: Sendable {
    let templates: TemplateStore

    func upsert(_ db: SQLDatabase, _ command: NotificationTemplateUpsert, _ context: HandlerContext) throws -> NotificationTemplateView {
        // Refused now rather than at the first send: a template that does not parse.
        _ = try ParsedTemplate(subject: command.subject, text: command.text, html: command.html)
        try templates.save(db, command, author: context.sender.userID, at: context.now)
        context.memo.forgetAll()  // the batch's sends after this one render the new text
        return try templates.stored(db, storeID: command.storeID, name: command.name, locale: command.locale)!
    }

    func get(_ db: SQLDatabase, _ query: NotificationTemplateGet, _ context: HandlerContext) throws -> NotificationTemplateView {
        let settings = try NotificationSettings.load(db, storeID: query.storeID)
        guard let found = try templates.find(db, storeID: query.storeID, name: query.name, locale: query.locale,
                                             storeLocale: settings.locale) else {
            throw ErrorBody(code: .notFound, message: "no template \(query.name) in \(query.locale)")
        }
        return found
    }

    func list(_ db: SQLDatabase, _ query: NotificationTemplateList, _ context: HandlerContext) throws -> NotificationTemplateListResult {
        NotificationTemplateListResult(templates: try templates.all(db, storeID: query.storeID))
    }

    func render(_ db: SQLDatabase, _ query: NotificationTemplateRender, _ context: HandlerContext) throws -> NotificationRendered {
        let settings = try NotificationSettings.load(db, storeID: query.storeID)
        let locale = query.locale ?? settings.locale
        let found = try templates.require(db, storeID: query.storeID, name: query.name, locale: locale, storeLocale: settings.locale)
        return try ParsedTemplate(subject: found.subject, text: found.text, html: found.html).render(query.params, locale: found.locale)
    }
}
