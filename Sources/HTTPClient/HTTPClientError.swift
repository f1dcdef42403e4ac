import CCurl

/// Why a request produced no response. The cases are the ones a caller maps to different faults;
/// an HTTP error status (4xx, 5xx) is not one of them: it comes back as an `HTTPResponse`.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The whole exchange took longer than the request's timeout. The server may have acted on the request.
    case timeout
    /// No connection: refused, name not resolved, or the TLS handshake or certificate check failed.
    /// The request did not reach the server, so it is safe to retry.
    case connectionFailed(String)
    /// The response body is larger than the client's limit; the transfer was cut short.
    case tooLarge
    /// The request itself is unusable (a header that would inject lines, a bad method); a retry cannot help.
    case invalidRequest(String)
    /// Anything else libcurl reported, with its code (`CURLcode`) and message: among them an empty reply
    /// (52), a connection reset while receiving (56), or an answer that is not HTTP (1, "HTTP/0.9 not
    /// allowed", or 8). The server
    /// may have received the request.
    case other(code: Int, message: String)

    public var description: String {
        switch self {
        case .timeout: "HTTP request timed out"
        case .connectionFailed(let message): "HTTP connection failed: \(message)"
        case .tooLarge: "HTTP response body over the limit"
        case .invalidRequest(let message): "invalid HTTP request: \(message)"
        case .other(let code, let message): "HTTP request failed (curl \(code)): \(message)"
        }
    }

    /// Maps a failed transfer. `detail` is libcurl's error buffer (more specific than the generic
    /// `curl_easy_strerror` text, e.g. which host and port refused); `overLimit` tells our own
    /// write-callback refusal apart from any other write error.
    init(code: CURLcode, detail: String, overLimit: Bool) {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            self = .timeout
        case CURLE_FILESIZE_EXCEEDED:
            self = .tooLarge
        case CURLE_WRITE_ERROR where overLimit:
            self = .tooLarge
        case _ where Self.connectionCodes.contains(code):
            self = .connectionFailed(message)
        case CURLE_URL_MALFORMAT:
            self = .invalidRequest(message)
        default:
            self = .other(code: Int(code.rawValue), message: message)
        }
    }

    /// Failures before a single request byte reached the server.
    private static let connectionCodes: Set<UInt32> = Set([
        CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
        CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION,
        CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE,
        CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
        CURLE_SSL_CLIENTCERT,
    ].map(\.rawValue))
}

extension Set where Element == UInt32 {
    fileprivate func contains(_ code: CURLcode) -> Bool { contains(code.rawValue) }
}
