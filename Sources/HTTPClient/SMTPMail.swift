import Foundation

/// One mail to one recipient, as `SMTPClient` sends it: the headers we set ourselves (From, To,
/// Subject, Date, Message-ID) and a body of a text part, an optional HTML alternative, and attachments.
/// Mails carry personal data: nothing in this module logs them.
public struct SMTPMail: Sendable, Equatable {
    /// The envelope sender (MAIL FROM) and the From header's address.
    public var from: String
    /// The From header's display name, if any.
    public var fromName: String?
    /// The one recipient (RCPT TO and the To header).
    public var to: String
    public var subject: String
    public var text: String
    /// With it, text and HTML go as a multipart/alternative (text first: the last is the preferred one).
    public var html: String?
    public var attachments: [SMTPAttachment]
    /// Without the angle brackets: `id@domain`. The same for every try of one mail, so a receiver
    /// can tell a repeated mail from a new one.
    public var messageID: String
    public var date: Date

    public init(from: String, fromName: String? = nil, to: String, subject: String, text: String, html: String? = nil,
                attachments: [SMTPAttachment] = [], messageID: String, date: Date = Date()) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
    }

    /// The header lines we send (MIME-Version and the body's Content-Type are libcurl's).
    func headerLines() throws(SMTPError) -> [String] {
        try MailHeaders.checkAddress(from, field: "from")
        try MailHeaders.checkAddress(to, field: "to")
        try MailHeaders.checkMessageID(messageID)
        let sender = fromName.map { MailHeaders.displayName($0) + " <\(from)>" } ?? "<\(from)>"
        return [
            "From: \(sender)",
            "To: <\(to)>",
            "Subject: \(MailHeaders.unstructured(subject))",
            "Date: \(MailHeaders.date(date))",
            "Message-ID: <\(messageID)>",
        ]
    }
}

/// A file sent with the mail (an invoice PDF), base64-encoded on the wire.
public struct SMTPAttachment: Sendable, Equatable {
    public var filename: String
    /// `application/pdf`; checked to be a plain `type/subtype` so it cannot carry extra header text.
    public var contentType: String
    public var data: Data

    public init(filename: String, contentType: String, data: Data) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// Where and how a mail is handed over.
public struct SMTPServer: Sendable, Equatable {
    /// `smtp://host[:port]` (port 25 by default; STARTTLS as `tls` says) or `smtps://host[:port]`
    /// (TLS from the first byte, port 465 by default).
    public var url: String
    public var login: String?
    public var password: String?
    public var tls: SMTPTLS
    /// The whole exchange, from connecting to the server's answer after the mail's end.
    public var timeout: Duration
    /// PEM file of the certificate authorities to trust instead of the system's (tests, private CAs).
    public var caFile: String?
    /// `host:port:address` entries (CURLOPT_RESOLVE), so that the call goes where its address was checked.
    public var resolve: [String]

    public init(url: String, login: String? = nil, password: String? = nil, tls: SMTPTLS = .required,
                timeout: Duration = .seconds(30), caFile: String? = nil, resolve: [String] = []) {
        self.url = url
        self.login = login
        self.password = password
        self.tls = tls
        self.timeout = timeout
        self.caFile = caFile
        self.resolve = resolve
    }
}

/// Whether an `smtp://` connection must be upgraded with STARTTLS.
public enum SMTPTLS: Sendable, Equatable {
    /// The mail is not sent unless the server offers STARTTLS and the certificate checks out.
    case required
    /// STARTTLS when the server offers it (the certificate is checked then), plain otherwise:
    /// for a server on this machine only.
    case ifOffered
}

/// The server took the mail: its final reply code (250).
public struct SMTPReceipt: Sendable, Equatable {
    public var code: Int
}
