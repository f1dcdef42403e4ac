import Contracts
import Foundation
import HTTPClient
import SQLStore
import WorkerKit

/// Sends the mails of effect `notification.email` for the effect runner, over SMTP through
/// `SMTPClient`. `prepare` reads the store's sender and server (and opens the sealed password)
/// and forms the mail; the call hands it over. What the server says decides what follows: taken →
/// the result (`EmailSent`, our Message-ID); a 5xx, or no STARTTLS where it is required →
/// `failed`, ended at once; a 4xx, a timeout or no connection → a fault, retried with backoff.
public struct EmailPerformer: EffectPerformer {
    public static let kind = "notification.email"

    let smtp: SMTPClient
    let secrets: SecretBox
    let timeout: Duration
    /// Certificate authorities to trust instead of the system's (tests; a store's private relay).
    let caFile: String?

    public init(smtp: SMTPClient = SMTPClient(), secrets: SecretBox, timeout: Duration = .seconds(30), caFile: String? = nil) {
        self.smtp = smtp
        self.secrets = secrets
        self.timeout = timeout
        self.caFile = caFile
    }

    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase) throws -> EffectCall {
        try prepare(effect, db, memo: BatchMemo())
    }

    /// The store's settings (and its opened password) are read once per turn of the runner.
    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase, memo: BatchMemo) throws -> EffectCall {
        guard effect.kind == Self.kind else { throw EffectFailure("the e-mail performer sends no \(effect.kind)") }
        let send = try EmailSend.read(effect.payload)
        let settings = try memo.value("email.sender\u{1F}\(send.storeID)") {
            try EmailSenderSettings.load(db, storeID: send.storeID, secrets: secrets)
        }
        let mail = try Self.mail(send, settings)
        let (smtp, timeout, caFile) = (self.smtp, self.timeout, self.caFile)
        return EffectCall(url: settings.smtpURL) { target in
            let server = SMTPServer(url: target.url, login: settings.login, password: settings.password,
                                    tls: Self.onThisMachine(target) ? .ifOffered : .required, timeout: timeout,
                                    caFile: caFile, resolve: target.curlResolve)
            switch Result(catching: { () throws(SMTPError) in try smtp.send(mail, via: server) }) {
            case .success:
                // `EmailSent`, as its encoding reads (built directly: this runs once per mail).
                return .answered(.object(["message_id": .string("<\(mail.messageID)>")]))
            case .failure(let error):
                return error.isPermanent ? .failed(error.description) : .fault(error.description)
            }
        }
    }

    /// The mail of `send`, or an `EffectFailure` when it cannot be formed (a retry would not change it).
    static func mail(_ send: EmailSend, _ settings: EmailSenderSettings) throws -> SMTPMail {
        guard let from = EmailAddress.normalize(settings.senderAddress) else {
            throw EffectFailure("the store's sender address is not a valid e-mail address")
        }
        guard let to = EmailAddress.normalize(send.to) else { throw EffectFailure("the recipient is not a valid e-mail address") }
        var attachments: [SMTPAttachment] = []
        for attachment in send.attachments {
            guard let data = Data(base64Encoded: attachment.contentBase64) else {
                throw EffectFailure("the attachment \(attachment.filename) is not base64")
            }
            attachments.append(SMTPAttachment(filename: attachment.filename, contentType: attachment.contentType, data: data))
        }
        return SMTPMail(from: from, fromName: settings.senderName, to: to, subject: send.subject, text: send.text,
                        html: send.html, attachments: attachments, messageID: messageID(send, sender: from))
    }

    /// `notification.<delivery id>@<sender's domain>`: the same for every try of a delivery, so a
    /// receiver (or a person) can tell a repeated mail. Bytes of the id other than letters, digits,
    /// `-` and `_` are written `=HH` (atext, so the id stays a dot-atom and two ids stay two).
    static func messageID(_ send: EmailSend, sender: String) -> String {
        let domain = sender.split(separator: "@").last.map(String.init) ?? "localhost"
        var local: [UInt8] = []
        local.reserveCapacity(send.deliveryID.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in send.deliveryID.utf8 {
            let plain = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            if plain { local.append(byte) } else { local += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] }
        }
        return "notification.\(String(decoding: local, as: UTF8.self))@\(domain)"
    }

    /// Every address of the target is loopback: a relay on this machine, where STARTTLS is used
    /// when offered; anywhere else it is required (the outbound policy counts `smtp` as encrypted).
    static func onThisMachine(_ target: OutboundTarget) -> Bool {
        target.addresses.allSatisfy { $0.hasPrefix("127.") || $0 == "::1" }
    }
}
