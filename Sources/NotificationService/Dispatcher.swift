import Contracts
import Foundation
import SQLStore
import WorkerKit

/// One message to send, from a command or from an automatic send.
struct Dispatch: Sendable {
    var storeID: String
    var channel: NotificationSend.Channel
    var recipient: String?
    var clientID: String?
    var template: String
    var locale: String?
    var params: [String: JSONValue]
    var category: NotificationSend.Category
    var attachments: [EmailAttachment] = []
    /// An automatic send (on another service's event): a template that is missing or cannot be
    /// filled ends as a failed delivery with the reason, instead of refusing the whole event.
    var automatic = false
    /// What makes it one delivery however often it is handled: the command's message id, or an
    /// automatic send's own key (`<event message id>/<send name>`).
    var originKey: String
}

/// Turns a send into a delivery: who gets it, in which locale, the rendered text, the checks
/// (deleted client, marketing flags, the per-recipient hourly limit), the row in the delivery log
/// and the channel's effect, all in the handler's transaction. Nothing is sent here.
struct Dispatcher: Sendable {
    let templates: TemplateStore
    let parsed = ParsedTemplateCache()

    /// One delivery per store and origin: a send whose origin already has one is answered with it
    /// (found when its row is added, after the checks: a second copy is rare, the look was per send).
    func dispatch(_ db: SQLDatabase, _ send: Dispatch, _ context: HandlerContext) throws -> NotificationSendResult {
        if send.channel == .sms, !send.attachments.isEmpty {
            throw ErrorBody.validationFailed([ErrorDetail(field: "attachments", problem: "not_allowed")],
                                             message: "attachments go with e-mail only")
        }
        // Read once per store and batch (`BatchMemo`): a batch is mostly one store's sends.
        let settings = try context.memo.value("notification.settings\u{1F}\(send.storeID)") {
            try NotificationSettings.forSending(db, storeID: send.storeID)
        }
        var client: ClientContact?
        if let clientID = send.clientID {
            client = try ClientCopy.contact(db, storeID: send.storeID, clientID: clientID)
            guard client != nil || send.automatic else { throw ErrorBody(code: .notFound, message: "client \(clientID) not found") }
        }
        let recipient = try address(send, client: client)
        let locale = send.locale ?? client?.language.flatMap(Self.supportedLocale) ?? settings.locale
        // A time-ordered id: the log's new rows go to the end of its key, not to a random page each.
        var record = DeliveryRecord(
            deliveryID: "d-" + RandomID.timeOrdered(now: context.now), storeID: send.storeID, originKey: send.originKey, channel: send.channel,
            recipient: recipient ?? "none", clientID: client?.clientID ?? send.clientID, template: send.template,
            locale: locale, category: send.category, status: .pending, createdAt: context.now)
        if send.clientID != nil, client == nil {
            return try fail(db, &record, reason: "client_unknown", context)  // an automatic send: the event goes on
        }
        let content: Content
        do {
            let template = try context.memo.value("notification.template\u{1F}\(send.storeID)\u{1F}\(send.template)\u{1F}\(locale)\u{1F}\(settings.locale)") {
                try templates.require(db, storeID: send.storeID, name: send.template, locale: locale, storeLocale: settings.locale)
            }
            record.locale = template.locale
            let rendered = try parsed.parsed(subject: template.subject, text: template.text, html: template.html)
                .render(send.params, locale: template.locale)
            content = try Self.content(rendered, send)
        } catch let error as ErrorBody where send.automatic {
            return try fail(db, &record, reason: "template: \(error.message)", context)
        }
        if let refusal = try refusal(db, send, client: client, recipient: recipient, settings: settings, now: context.now) {
            return try fail(db, &record, reason: refusal, context)
        }
        if let existing = try DeliveryLog.insert(db, record) { return existing.sendResult }
        switch content {
        case .email(let subject, let text, let html):
            try context.record(effect: NotificationEffects.emailKind, payload: EmailSend(
                storeID: send.storeID, deliveryID: record.deliveryID, to: record.recipient, subject: subject, text: text,
                html: html, attachments: send.attachments), maxAttempts: settings.maxAttempts)
        case .sms(let text):
            try context.record(effect: NotificationEffects.smsKind, payload: SMSSend(
                storeID: send.storeID, deliveryID: record.deliveryID, to: record.recipient, text: text),
                maxAttempts: settings.maxAttempts)
        }
        return record.sendResult
    }

    /// What goes out on the channel, or a `validation_failed` when the rendered template cannot.
    private enum Content {
        case email(subject: String, text: String, html: String?)
        case sms(String)
    }

    private static func content(_ rendered: NotificationRendered, _ send: Dispatch) throws -> Content {
        switch send.channel {
        case .email:
            guard let subject = rendered.subject else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "template", problem: "no_subject")],
                                                 message: "template \(send.template) has no subject for an e-mail")
            }
            return .email(subject: subject, text: rendered.text, html: rendered.html)
        case .sms:
            // Template files end with a newline; an SMS is billed by the character.
            let text = rendered.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "template", problem: "empty")], message: "the SMS text is empty")
            }
            guard text.count <= SMSGateway.maxLength else {
                throw ErrorBody.validationFailed([ErrorDetail(field: "template", problem: "too_long")],
                                                 message: "the SMS text is over \(SMSGateway.maxLength) characters")
            }
            return .sms(text)
        }
    }

    /// Records the delivery as failed at once, with its reason, and announces it.
    private func fail(_ db: SQLDatabase, _ record: inout DeliveryRecord, reason: String,
                      _ context: HandlerContext) throws -> NotificationSendResult {
        record.status = .failed
        record.reason = String(reason.prefix(500))
        record.completedAt = context.now
        if let existing = try DeliveryLog.insert(db, record) { return existing.sendResult }
        try context.publish(event: record.outcome(at: context.now), type: "notification.failed")
        return record.sendResult
    }

    /// The address given (checked against the channel), else the client's.
    private func address(_ send: Dispatch, client: ClientContact?) throws -> String? {
        guard let raw = send.recipient else {
            return send.channel == .email ? client?.email : client?.phone
        }
        let normalized = send.channel == .email ? EmailAddress.normalize(raw) : PhoneNumber.normalize(raw)
        guard let normalized else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "recipient", problem: "invalid_format")],
                                             message: send.channel == .email ? "recipient is no e-mail address" : "recipient is no phone number")
        }
        return normalized
    }

    /// Why nothing may be sent, as the delivery's reason; nil when it may.
    private func refusal(_ db: SQLDatabase, _ send: Dispatch, client: ClientContact?, recipient: String?,
                         settings: NotificationSettings.ForSending, now: Date) throws -> String? {
        if client?.deleted == true { return "client_deleted" }
        if send.category == .marketing, let client {
            let allowed = send.channel == .email ? client.newsletter : client.promoSMS
            if !allowed { return "opted_out" }
        }
        guard let recipient else { return "no_address" }
        let recent = try DeliveryLog.recentCount(db, storeID: send.storeID, recipient: recipient, since: now.addingTimeInterval(-3600))
        return recent >= settings.recipientHourlyLimit ? "rate_limited" : nil
    }

    /// `ru-RU` → `ru`; a language we have no templates for → nil (the store's locale is used).
    static func supportedLocale(_ language: String) -> String? {
        let code = String(language.prefix(2)).lowercased()
        return ["ru", "en"].contains(code) ? code : nil
    }
}

enum NotificationEffects {
    /// Performed by the e-mail channel's performer; its result comes back as `notification.email.completed`.
    static let emailKind = "notification.email"
    static let smsKind = "notification.sms"
}
