import Foundation

/// An HTTP method. A struct rather than an enum so that an unusual verb still fits
/// (it goes to libcurl as a custom request).
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")

    public var description: String { rawValue }
}

/// One outgoing request. Headers and body may carry credentials: nothing in this module logs them.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute `http://` or `https://` URL; other schemes are refused by the client.
    public var url: String
    /// Header names are sent as given; a later request header replaces libcurl's default of the same name.
    public var headers: [String: String]
    public var body: Data?
    /// The whole exchange (connect, send, wait, receive) must finish within this.
    public var timeout: Duration
    /// `host:port:address[,address]` entries (CURLOPT_RESOLVE): connect to these addresses instead
    /// of resolving the host again, so that a call goes where its address was checked.
    public var resolve: [String] = []

    public init(method: HTTPMethod = .get, url: String, headers: [String: String] = [:], body: Data? = nil,
                timeout: Duration = .seconds(10)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// A `POST` of a JSON document, with `Content-Type` and `Accept` set to JSON unless `headers` already name them.
    public static func postJSON(url: String, json: Data, headers: [String: String] = [:],
                                timeout: Duration = .seconds(10)) -> HTTPRequest {
        var all = headers
        let present = Set(headers.keys.map { $0.lowercased() })
        if !present.contains("content-type") { all["Content-Type"] = "application/json" }
        if !present.contains("accept") { all["Accept"] = "application/json" }
        return HTTPRequest(method: .post, url: url, headers: all, body: json, timeout: timeout)
    }

    /// Refuses header names and values that would let a caller's data inject extra header lines.
    func validate() throws(HTTPClientError) {
        for (name, value) in headers {
            let badName = name.isEmpty || name.utf8.contains { $0 <= 0x20 || $0 == UInt8(ascii: ":") || $0 >= 0x7F }
            if badName { throw .invalidRequest("header name not allowed") }
            if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
                throw .invalidRequest("header value of \(name) contains a line break")
            }
        }
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw .invalidRequest("only http and https URLs are allowed")
        }
        if method.rawValue.isEmpty || method.rawValue.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            throw .invalidRequest("method not allowed")
        }
    }
}

/// What came back. A 4xx or 5xx status is a response, not an error: the caller decides what it means.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// A header by name, in any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
