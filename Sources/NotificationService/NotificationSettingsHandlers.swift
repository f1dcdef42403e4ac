import Contracts
import SQLStore
import WorkerKit

/// `notification.settings.get` and `notification.settings.update`. Secrets go in, never out.
struct NotificationSettingsHandlers: Sendable {
    let secrets: SecretBox
    let outbound: OutboundPolicy

    func get(_ db: SQLDatabase, _ query: NotificationSettingsGet, _ context: HandlerContext) throws -> NotificationSettingsView {
        try NotificationSettings.load(db, storeID: query.storeID).view
    }

    func update(_ db: SQLDatabase, _ change: NotificationSettingsUpdate, _ context: HandlerContext) throws -> NotificationSettingsView {
        // Locked: two replicas changing one store take turns. Secrets stay sealed: only new ones are sealed.
        var settings = try NotificationSettings.load(db, storeID: change.storeID, forUpdate: true)
        // A stored secret goes where the URL points: whoever moves the URL must give the secret again.
        if let url = change.smsURL, url != settings.smsURL, settings.smsTokenStored, change.smsToken == nil {
            throw ErrorBody.validationFailed([ErrorDetail(field: "sms_token", problem: "required_with_sms_url")],
                                             message: "changing sms_url needs sms_token in the same command")
        }
        if let url = change.smtpURL, url != settings.smtpURL, settings.smtpPasswordStored, change.smtpPassword == nil {
            throw ErrorBody.validationFailed([ErrorDetail(field: "smtp_password", problem: "required_with_smtp_url")],
                                             message: "changing smtp_url needs smtp_password in the same command")
        }
        if let url = change.smsURL {
            do {
                _ = try OutboundAddress.checkForm(url, policy: outbound)
            } catch {
                throw ErrorBody.validationFailed([ErrorDetail(field: "sms_url", problem: error.problem)], message: "sms_url: \(error)")
            }
            settings.smsURL = url
        }
        if let v = change.senderAddress { settings.senderAddress = try Self.address(v, field: "sender_address") }
        if let v = change.operatorAddress { settings.operatorAddress = try Self.address(v, field: "operator_address") }
        if let v = change.senderName { settings.senderName = v }
        if let url = change.smtpURL {
            do {
                _ = try OutboundAddress.checkForm(url, policy: outbound, schemes: OutboundAddress.mailSchemes)
            } catch {
                throw ErrorBody.validationFailed([ErrorDetail(field: "smtp_url", problem: error.problem)], message: "smtp_url: \(error)")
            }
            settings.smtpURL = url
        }
        if let v = change.smtpLogin { settings.smtpLogin = v }
        if let v = change.smtpPassword { settings.smtpPassword = v }
        if let v = change.smsToken { settings.smsToken = v }
        if let v = change.smsSender { settings.smsSender = v }
        if let v = change.locale { settings.locale = v }
        if let v = change.maxAttempts { settings.maxAttempts = v }
        if let v = change.recipientHourlyLimit { settings.recipientHourlyLimit = v }
        if let v = change.autoSends { settings.autoSends.merge(v) { _, new in new } }
        settings.updatedAt = context.now
        try settings.save(db, secrets: secrets)
        context.memo.forgetAll()  // the batch's sends after this one read the new settings
        return settings.view
    }

    /// Addresses are stored in one spelling (the domain in its ASCII form).
    static func address(_ raw: String, field: String) throws -> String {
        guard let address = EmailAddress.normalize(raw) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: field, problem: "invalid_format")])
        }
        return address
    }
}
