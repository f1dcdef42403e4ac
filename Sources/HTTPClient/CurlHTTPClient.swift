import CCurl
import Foundation

/// The one type that owns libcurl pointers: outgoing HTTP for the worker services
/// (blacklist check, SMS gateway, webhooks).
///
/// `perform` blocks the calling thread: call it from a worker's own thread, never from the
/// cooperative pool; `send` is the async form and runs the call on a thread of its own.
/// Safe to share between threads: each call takes an easy handle nobody else is using, and returns it
/// afterwards so that its open connections (and TLS sessions) are reused by the next call to the same host.
/// Nothing here logs: request headers and bodies carry credentials.
public final class CurlHTTPClient: Sendable {
    /// 1 MiB: far more than any answer of the APIs we call, little enough to bound memory.
    public static let defaultMaxResponseBytes = 1 << 20

    /// Bodies larger than this fail with `.tooLarge`.
    public let maxResponseBytes: Int
    /// Upper bound on establishing the connection (DNS, TCP, TLS); never more than the request's timeout.
    public let connectTimeout: Duration
    /// Handles kept between calls; more concurrent calls than this still work, the extra handles are closed.
    public var maxIdleHandles: Int { pool.maxIdle }

    private let pool: CurlHandlePool

    public init(maxResponseBytes: Int = CurlHTTPClient.defaultMaxResponseBytes, connectTimeout: Duration = .seconds(5),
                maxIdleHandles: Int = 8) {
        precondition(maxResponseBytes > 0, "maxResponseBytes must be positive")
        self.maxResponseBytes = maxResponseBytes
        self.connectTimeout = connectTimeout
        pool = CurlHandlePool(maxIdle: maxIdleHandles)
    }

    /// Sends `request` and waits for the whole response, at most `request.timeout`. Blocks the calling thread.
    /// Any HTTP status, 4xx and 5xx included, is a response; only a missing response is an error.
    public func perform(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        try request.validate()
        guard Self.curlReady else { throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_global_init failed") }
        guard let handle = pool.take() else { throw .other(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed") }
        defer { pool.give(handle) }
        return try runTransfer(on: handle.pointer, request, maxBodyBytes: maxResponseBytes, connectTimeout: connectTimeout)
    }

    /// `perform` on a dedicated thread, so that the cooperative pool is not blocked while we wait.
    /// Cancelling the task does not cut the request short; the request's timeout bounds the wait.
    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, HTTPClientError>, Never>) in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(HTTPClientError) in try self.perform(request) })
            }
            thread.name = "http-client"
            thread.start()
        }
        return try result.get()
    }

    /// `POST` of a JSON document (`Content-Type: application/json` unless `headers` set it). Blocks, like `perform`.
    public func postJSON(url: String, json: Data, headers: [String: String] = [:],
                         timeout: Duration = .seconds(10)) throws(HTTPClientError) -> HTTPResponse {
        try perform(.postJSON(url: url, json: json, headers: headers, timeout: timeout))
    }

    // MARK: - Handles

    /// `curl_global_init` is not safe to race with other libcurl calls: a static let runs it exactly once,
    /// before the first handle is made (curl_easy_init would otherwise run it unguarded).
    static let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}
