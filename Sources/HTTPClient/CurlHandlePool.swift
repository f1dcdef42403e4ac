import CCurl
import Synchronization

/// Idle libcurl easy handles kept between calls, so that their open connections (and TLS
/// sessions) serve the next call to the same server. Each handle goes to one thread at a time;
/// more concurrent calls than `maxIdle` still work, the extra handles are closed when given back.
/// Shared by `CurlHTTPClient` and `SMTPClient`.
final class CurlHandlePool: Sendable {
    let maxIdle: Int
    private let idle = Mutex<[CurlHandle]>([])

    init(maxIdle: Int) { self.maxIdle = maxIdle }

    deinit {
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.pointer) }
            handles.removeAll()
        }
    }

    /// An idle handle, or a new one; nil when libcurl cannot make one.
    func take() -> CurlHandle? {
        if let reused = idle.withLock({ $0.popLast() }) { return reused }
        return curl_easy_init().map(CurlHandle.init(pointer:))
    }

    /// Keeps the handle for the next call, or closes it when enough are kept.
    func give(_ handle: CurlHandle) {
        let kept = idle.withLock { handles in
            guard handles.count < maxIdle else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.pointer) }
    }

    /// Closes a handle whose connection may be in any state (after a failed call).
    func discard(_ handle: CurlHandle) { curl_easy_cleanup(handle.pointer) }
}

/// A `CURL *`. Sendable because the pool hands each handle to one thread at a time.
struct CurlHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
}
