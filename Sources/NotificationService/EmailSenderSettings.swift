import Contracts
import Foundation
import SQLStore
import WorkerKit

/// What the e-mail performer reads of a store's `notification_settings` row (notify-core's table):
/// the sender and the SMTP server, the password opened from its sealed form only for the call.
struct EmailSenderSettings: Sendable, Equatable {
    var senderAddress: String
    var senderName: String?
    var smtpURL: String
    var login: String?
    var password: String?

    /// What a sealed SMTP password is bound to: it opens only in its own store's row.
    static func passwordContext(storeID: String) -> String { "notification/\(storeID)/smtp_password" }

    /// The store's settings, or an `EffectFailure` naming what is missing: retrying would not help
    /// until an operator sets them, and then the delivery is sent again.
    static func load(_ db: SQLDatabase, storeID: String, secrets: SecretBox) throws -> EmailSenderSettings {
        guard let row = try db.row("""
            SELECT sender_address, sender_name, smtp_url, smtp_login, smtp_password_sealed
            FROM notification_settings WHERE store_id = ?
            """, [storeID])
        else { throw EffectFailure("the store has no e-mail settings") }
        guard let sender: String = row["sender_address"], !sender.isEmpty else {
            throw EffectFailure("the store has no sender address")
        }
        guard let url: String = row["smtp_url"], !url.isEmpty else { throw EffectFailure("the store has no SMTP server") }
        var password: String?
        if let sealed: String = row["smtp_password_sealed"] {
            do {
                password = try secrets.open(sealed, context: passwordContext(storeID: storeID))
            } catch {
                // Another key will not appear by waiting. The reason names no secret.
                throw EffectFailure("the stored SMTP password cannot be opened with this key")
            }
        }
        let login: String? = row["smtp_login"]
        return EmailSenderSettings(senderAddress: sender, senderName: row["sender_name"], smtpURL: url,
                                   login: login.flatMap { $0.isEmpty ? nil : $0 }, password: password)
    }
}
