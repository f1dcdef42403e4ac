import Contracts
import Foundation
import SQLStore
import WorkerKit

/// A store's notification settings, as stored in `notification_settings`. The SMTP password and
/// the SMS gateway's token are stored only sealed; here alone are they sealed and opened.
struct NotificationSettings: Sendable, Equatable {
    var storeID: String
    var senderAddress: String?
    var senderName: String?
    var operatorAddress: String?
    var smtpURL: String?
    var smtpLogin: String?
    /// Opened only when loaded with the key; `…Stored` says whether one is stored.
    var smtpPassword: String?
    var smtpPasswordStored = false
    var smsURL: String?
    var smsToken: String?
    var smsTokenStored = false
    var smsSender: String?
    var locale = "ru"
    var maxAttempts = 5
    var recipientHourlyLimit = 20
    /// Only what was set; `autoSend(_:)` answers for the others.
    var autoSends: [String: Bool] = [:]
    var updatedAt: Date?
    var rowExists = false

    /// The automatic sends, on unless a store switched them off: a shop expects them.
    static let autoSendDefaults = [
        "welcome": true, "reliability_no_trust": true, "activation": true, "password_reset": true, "invoice_issued": true,
        "account_blocked": true, "dedupe_summary": true,
    ]

    func autoSend(_ name: String) -> Bool { autoSends[name] ?? Self.autoSendDefaults[name] ?? false }

    static func secretContext(storeID: String, field: String) -> String { "notification/\(storeID)/\(field)" }

    /// What a send needs of a store's settings, and nothing else: read on every send, where the
    /// whole row (its auto-send JSON, its time) was a tenth of the consumer's time.
    struct ForSending: Sendable {
        var locale = "ru"
        var maxAttempts = 5
        var recipientHourlyLimit = 20
    }

    static func forSending(_ db: SQLDatabase, storeID: String) throws -> ForSending {
        guard let row = try db.row("""
            SELECT locale, max_attempts, recipient_hourly_limit FROM notification_settings WHERE store_id = ?
            """, [storeID])
        else { return ForSending() }
        return ForSending(locale: row[0], maxAttempts: row[1], recipientHourlyLimit: row[2])
    }

    /// Without `secrets` the secrets stay sealed (such a value must not be saved). `forUpdate`:
    /// the row is about to be saved, so a replica saving the same store waits for this one.
    static func load(_ db: SQLDatabase, storeID: String, secrets: SecretBox? = nil,
                     forUpdate: Bool = false) throws -> NotificationSettings {
        guard let row = try db.row("SELECT * FROM notification_settings WHERE store_id = ?" + (forUpdate ? db.forUpdate : ""),
                                   [storeID])
        else { return NotificationSettings(storeID: storeID) }
        func open(_ sealed: String?, _ field: String) throws -> String? {
            guard let sealed, let secrets else { return nil }
            do {
                return try secrets.open(sealed, context: secretContext(storeID: storeID, field: field))
            } catch {
                throw ErrorBody(code: .internal, message: "the stored \(field) cannot be opened with this key")
            }
        }
        let passwordSealed: String? = row["smtp_password_sealed"]
        let tokenSealed: String? = row["sms_token_sealed"]
        let autoSendsText: String = row["auto_sends"]
        let autoSends = (try? JSONCoding.decoder.decode([String: Bool].self, from: Data(autoSendsText.utf8))) ?? [:]
        return NotificationSettings(
            storeID: storeID, senderAddress: row["sender_address"], senderName: row["sender_name"],
            operatorAddress: row["operator_address"], smtpURL: row["smtp_url"], smtpLogin: row["smtp_login"],
            smtpPassword: try open(passwordSealed, "smtp_password"), smtpPasswordStored: passwordSealed != nil,
            smsURL: row["sms_url"], smsToken: try open(tokenSealed, "sms_token"), smsTokenStored: tokenSealed != nil,
            smsSender: row["sms_sender"], locale: row["locale"], maxAttempts: row["max_attempts"],
            recipientHourlyLimit: row["recipient_hourly_limit"], autoSends: autoSends,
            updatedAt: (row["updated_at"] as String?).flatMap(RFC3339.date(from:)), rowExists: true)
    }

    /// A row loaded (and locked) is updated; a new one is inserted without ON CONFLICT, so a
    /// replica that inserted first makes this one fail (23505, transient) and the batch runs again.
    /// Secrets not opened at load (`…Stored` without a value) keep their sealed column.
    func save(_ db: SQLDatabase, secrets: SecretBox) throws {
        let password = try smtpPassword.map { try secrets.seal($0, context: Self.secretContext(storeID: storeID, field: "smtp_password")) }
        let token = try smsToken.map { try secrets.seal($0, context: Self.secretContext(storeID: storeID, field: "sms_token")) }
        let autoSendsText = String(decoding: try JSONCoding.encoder.encode(autoSends), as: UTF8.self)
        let columns = "sender_address, sender_name, operator_address, smtp_url, smtp_login, smtp_password_sealed, sms_url, sms_token_sealed, sms_sender, locale, max_attempts, recipient_hourly_limit, auto_sends, updated_at"
        let arguments: SQLArguments = [storeID, senderAddress, senderName, operatorAddress, smtpURL, smtpLogin, password, smsURL, token,
                                       smsSender, locale, maxAttempts, recipientHourlyLimit, autoSendsText,
                                       RFC3339.string(from: updatedAt ?? Date())]
        let insert = "INSERT INTO notification_settings (store_id, \(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        guard rowExists else {
            try db.execute(insert, arguments)
            return
        }
        let keepPassword = smtpPassword == nil && smtpPasswordStored
        let keepToken = smsToken == nil && smsTokenStored
        let sets = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !(keepPassword && $0 == "smtp_password_sealed") && !(keepToken && $0 == "sms_token_sealed")
        }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(insert + " ON CONFLICT (store_id) DO UPDATE SET " + sets, arguments)
    }

    var view: NotificationSettingsView {
        NotificationSettingsView(
            storeID: storeID, senderAddress: senderAddress, senderName: senderName, operatorAddress: operatorAddress,
            smtpURL: smtpURL, smtpLogin: smtpLogin, smtpPasswordSet: smtpPassword != nil || smtpPasswordStored,
            smsURL: smsURL, smsTokenSet: smsToken != nil || smsTokenStored, smsSender: smsSender, locale: locale,
            maxAttempts: maxAttempts, recipientHourlyLimit: recipientHourlyLimit,
            autoSends: Self.autoSendDefaults.merging(autoSends) { _, stored in stored }, updatedAt: updatedAt)
    }
}
