import CCurl
import Foundation

/// The one type that owns libcurl pointers for mail: sends a mail to an SMTP server
/// (`smtp://` with STARTTLS, `smtps://`, login), its body built with libcurl's MIME API.
///
/// `send` blocks the calling thread (the effect runner's): never call it from the cooperative pool.
/// Safe to share between threads: each call takes an easy handle nobody else is using and gives it
/// back afterwards, so the next mail to the same server goes over the connection already open.
/// Nothing here logs: mails carry personal data and the login carries a password.
public final class SMTPClient: Sendable {
    /// Upper bound on establishing the connection (TCP, TLS); never more than the server's timeout.
    public let connectTimeout: Duration
    /// Handles kept between calls; more concurrent calls than this still work, the extra handles are closed.
    public var maxIdleHandles: Int { pool.maxIdle }

    private let pool: CurlHandlePool

    public init(connectTimeout: Duration = .seconds(10), maxIdleHandles: Int = 8) {
        self.connectTimeout = connectTimeout
        pool = CurlHandlePool(maxIdle: maxIdleHandles)
    }

    /// Hands `mail` to `server` and returns when the server took it (its final 250) or refused it.
    /// A thrown error says whether trying again could help (`SMTPError.isPermanent`).
    public func send(_ mail: SMTPMail, via server: SMTPServer) throws(SMTPError) -> SMTPReceipt {
        guard CurlHTTPClient.curlReady else { throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_global_init failed") }
        guard let handle = pool.take() else { throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed") }
        let outcome = Result { () throws(SMTPError) in
            try runSMTPTransfer(on: handle.pointer, mail, via: server, connectTimeout: connectTimeout)
        }
        switch outcome {
        case .success: pool.give(handle)
        // After a failure the connection may be in any state: it is not offered to the next mail.
        case .failure: pool.discard(handle)
        }
        return try outcome.get()
    }
}
