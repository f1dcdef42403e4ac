import CCurl
import Foundation
import Synchronization

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
    public let maxIdleHandles: Int

    private let idle = Mutex<[MailHandle]>([])

    public init(connectTimeout: Duration = .seconds(10), maxIdleHandles: Int = 8) {
        self.connectTimeout = connectTimeout
        self.maxIdleHandles = maxIdleHandles
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.pointer) }
            handles.removeAll()
        }
    }

    /// Hands `mail` to `server` and returns when the server took it (its final 250) or refused it.
    /// A thrown error says whether trying again could help (`SMTPError.isPermanent`).
    public func send(_ mail: SMTPMail, via server: SMTPServer) throws(SMTPError) -> SMTPReceipt {
        guard CurlHTTPClient.curlReady else { throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_global_init failed") }
        let handle = try checkOut()
        let outcome = Result { () throws(SMTPError) in
            try runSMTPTransfer(on: handle.pointer, mail, via: server, connectTimeout: connectTimeout)
        }
        switch outcome {
        case .success: checkIn(handle)
        // After a failure the connection may be in any state: it is not offered to the next mail.
        case .failure: curl_easy_cleanup(handle.pointer)
        }
        return try outcome.get()
    }

    private func checkOut() throws(SMTPError) -> MailHandle {
        if let reused = idle.withLock({ $0.popLast() }) { return reused }
        guard let pointer = curl_easy_init() else {
            throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        return MailHandle(pointer: pointer)
    }

    private func checkIn(_ handle: MailHandle) {
        let kept = idle.withLock { handles in
            guard handles.count < maxIdleHandles else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.pointer) }
    }
}

/// A `CURL *` used for mail. Sendable because the pool hands each handle to one thread at a time.
private struct MailHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
