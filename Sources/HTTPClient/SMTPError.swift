import CCurl

/// Why a mail was not taken. `isPermanent` is the one question a sender asks: a permanent
/// failure (the server's 5xx, a mail we cannot form, no STARTTLS where it is required) ends the
/// delivery; anything else may pass if tried again later.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered 5xx (unknown recipient, refused sender, wrong login): it will answer the same again.
    case rejected(code: Int, stage: String)
    /// The server answered 4xx (mailbox busy, greylisting, too many connections): try later.
    case deferred(code: Int, stage: String)
    /// The whole exchange took longer than the server's timeout. The server may have taken the mail.
    case timeout
    /// No connection: refused, name not resolved, TLS handshake or certificate check failed.
    case connectionFailed(String)
    /// STARTTLS is required and the server does not offer it.
    case tlsUnavailable
    /// The mail itself cannot be sent as given (an address, header or attachment we refuse).
    case invalidMail(String)
    /// Anything else libcurl reported (the connection dropped halfway, a reply that is not SMTP).
    case other(code: Int, message: String)

    public var isPermanent: Bool {
        switch self {
        case .rejected, .tlsUnavailable, .invalidMail: true
        case .deferred, .timeout, .connectionFailed, .other: false
        }
    }

    public var description: String {
        switch self {
        case .rejected(let code, let stage): "the mail server refused the mail (SMTP \(code) \(stage))"
        case .deferred(let code, let stage): "the mail server deferred the mail (SMTP \(code) \(stage))"
        case .timeout: "the mail server did not answer in time"
        case .connectionFailed(let message): "no connection to the mail server: \(message)"
        case .tlsUnavailable: "the mail server does not offer STARTTLS, which is required"
        case .invalidMail(let message): "the mail cannot be sent: \(message)"
        case .other(let code, let message): "sending the mail failed (curl \(code)): \(message)"
        }
    }

    /// Maps a failed transfer: the server's last reply code decides when there was one; else the
    /// libcurl code. `detail` is libcurl's error buffer ("RCPT failed: 550"), which names the stage.
    init(code: CURLcode, reply: Int, detail: String) {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let stage = Self.stage(of: message)
        switch (code, reply) {
        case (CURLE_USE_SSL_FAILED, _): self = .tlsUnavailable
        case (_, 500...599): self = .rejected(code: reply, stage: stage)
        case (_, 400...499): self = .deferred(code: reply, stage: stage)
        case (CURLE_LOGIN_DENIED, _): self = .rejected(code: reply, stage: "at login")
        case (CURLE_OPERATION_TIMEDOUT, _): self = .timeout
        case (CURLE_COULDNT_RESOLVE_HOST, _), (CURLE_COULDNT_CONNECT, _), (CURLE_SSL_CONNECT_ERROR, _),
             (CURLE_PEER_FAILED_VERIFICATION, _), (CURLE_SSL_CACERT_BADFILE, _), (CURLE_SSL_CERTPROBLEM, _):
            self = .connectionFailed(message)
        case (CURLE_URL_MALFORMAT, _), (CURLE_UNSUPPORTED_PROTOCOL, _): self = .invalidMail(message)
        default: self = .other(code: Int(code.rawValue), message: message)
        }
    }

    /// Which command the server refused, from libcurl's text ("RCPT failed: 550" → "at RCPT TO").
    private static func stage(of message: String) -> String {
        let lowered = message.lowercased()
        if lowered.hasPrefix("rcpt") { return "at RCPT TO" }
        if lowered.hasPrefix("mail") { return "at MAIL FROM" }
        if lowered.contains("auth") || lowered.contains("login") { return "at login" }
        if lowered.contains("data") || lowered.contains("post") { return "after the mail's data" }
        if lowered.contains("greeting") || lowered.contains("unexpected") { return "at the greeting" }
        return "in the exchange"
    }
}
