import CCurl
import Foundation

/// What libcurl's callbacks fill in during one transfer. C reaches it through an unretained pointer
/// (CURLOPT_WRITEDATA / CURLOPT_HEADERDATA); `runTransfer` keeps it alive until `curl_easy_perform` returns.
/// Only the thread running the transfer touches it.
final class TransferSink {
    let limit: Int
    var body = Data()
    var headers: [String: String] = [:]
    /// Set when the write callback refused bytes because of `limit`, so that CURLE_WRITE_ERROR reads as `.tooLarge`.
    var overLimit = false

    init(limit: Int) { self.limit = limit }

    /// Returns false to make libcurl stop the transfer.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            overLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line as libcurl hands it over, CRLF included. A status line starts a new header block
    /// (after a `100 Continue` or other informational answer), so only the final block's headers are kept.
    func headerLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return }
        if let earlier = headers[name] {
            headers[name] = earlier + ", " + value
        } else {
            headers[name] = value
        }
    }
}

/// The C callbacks: no captures, so they convert to plain function pointers.
private let bodyCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, userdata in
    let total = size * count
    guard let userdata, total > 0, let data else { return total }
    let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
    return sink.appendBody(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
}

private let headerCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, userdata in
    let total = size * count
    guard let userdata, total > 0, let data else { return total }
    Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        .headerLine(UnsafeRawBufferPointer(start: data, count: total))
    return total
}

/// Collects the first failing `curl_easy_setopt`, so the set-up reads as a flat list of options.
struct OptionSetter {
    let handle: UnsafeMutableRawPointer
    var failure: CURLcode?

    mutating func record(_ code: CURLcode) { if code != CURLE_OK, failure == nil { failure = code } }
    mutating func long(_ option: CURLoption, _ value: Int) { record(crm_curl_setopt_long(handle, option, value)) }
    mutating func string(_ option: CURLoption, _ value: String) { record(crm_curl_setopt_string(handle, option, value)) }
    mutating func pointer(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) {
        record(crm_curl_setopt_pointer(handle, option, value))
    }
}

extension Duration {
    /// Whole milliseconds rounded up and at least 1: libcurl reads a timeout of 0 as "no timeout".
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int.max / 1000 - 1) else { return Int.max / 1000 }
        let millis = Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
        return max(1, millis)
    }
}

/// Runs one request on `handle`, which the caller owns exclusively for the duration. The handle is
/// reset before and after, which clears the options but keeps its open connections for reuse.
func runTransfer(on handle: UnsafeMutableRawPointer, _ request: HTTPRequest, maxBodyBytes: Int,
                 connectTimeout: Duration) throws(HTTPClientError) -> HTTPResponse {
    curl_easy_reset(handle)
    defer { curl_easy_reset(handle) }  // drops pointers to the header list and error buffer freed below
    let sink = TransferSink(limit: maxBodyBytes)
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    defer { errorBuffer.deallocate() }
    var headerList: UnsafeMutablePointer<curl_slist>?
    defer { curl_slist_free_all(headerList) }
    var resolveList: UnsafeMutablePointer<curl_slist>?
    defer { curl_slist_free_all(resolveList) }

    var options = OptionSetter(handle: handle)
    options.long(CURLOPT_NOSIGNAL, 1)  // no SIGALRM for DNS timeouts: we run on many threads
    options.string(CURLOPT_URL, request.url)
    options.string(CURLOPT_PROTOCOLS_STR, "http,https")
    options.long(CURLOPT_FOLLOWLOCATION, 0)
    options.long(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds)
    options.long(CURLOPT_CONNECTTIMEOUT_MS, min(connectTimeout, request.timeout).curlMilliseconds)
    options.long(CURLOPT_MAXFILESIZE, maxBodyBytes)  // refuses early when Content-Length announces too much
    options.pointer(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
    let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
    options.record(crm_curl_setopt_write_function(handle, bodyCallback))
    options.pointer(CURLOPT_WRITEDATA, sinkPointer)
    options.record(crm_curl_setopt_header_function(handle, headerCallback))
    options.pointer(CURLOPT_HEADERDATA, sinkPointer)

    if let body = request.body {
        // POSTFIELDSIZE first, so that COPYPOSTFIELDS copies exactly that many bytes (binary-safe);
        // a copy, so the body's lifetime does not matter to libcurl.
        options.long(CURLOPT_POSTFIELDSIZE, body.count)
        if body.isEmpty {
            options.string(CURLOPT_COPYPOSTFIELDS, "")
        } else {
            body.withUnsafeBytes { options.pointer(CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        if request.method != .post { options.string(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
    } else {
        switch request.method {
        case .get: options.long(CURLOPT_HTTPGET, 1)
        case .head: options.long(CURLOPT_NOBODY, 1)
        case .post:
            options.long(CURLOPT_POSTFIELDSIZE, 0)
            options.string(CURLOPT_COPYPOSTFIELDS, "")
        default: options.string(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
    }

    var lines = request.headers.map { name, value in value.isEmpty ? "\(name);" : "\(name): \(value)" }
    // No "Expect: 100-continue" round trip before larger bodies, unless the caller asks for one.
    if !request.headers.keys.contains(where: { $0.lowercased() == "expect" }) { lines.append("Expect:") }
    for line in lines {
        guard let extended = curl_slist_append(headerList, line) else {
            throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
        }
        headerList = extended
    }
    options.record(crm_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    for entry in request.resolve {
        guard let extended = curl_slist_append(resolveList, entry) else {
            throw .other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
        }
        resolveList = extended
    }
    if resolveList != nil { options.record(crm_curl_setopt_slist(handle, CURLOPT_RESOLVE, resolveList)) }
    if let failure = options.failure { throw HTTPClientError(code: failure, detail: "", overLimit: false) }

    let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
    guard code == CURLE_OK else {
        throw HTTPClientError(code: code, detail: String(cString: errorBuffer), overLimit: sink.overLimit)
    }
    var status = 0
    _ = crm_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
    return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
}
