import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One request as the stub server received it.
public struct RecordedRequest: Sendable, Equatable {
    public let method: String
    /// The request target as sent: path and query.
    public let path: String
    /// Header names lower-cased.
    public let headers: [String: String]
    public let body: Data

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What the stub answers to one request.
public indirect enum StubResponse: Sendable {
    /// A well-formed answer; Content-Length and `Connection: close` are added.
    case respond(status: Int, headers: [String: String], body: Data)
    /// Waits, then answers: a slow server, for timeouts.
    case delay(Duration, then: StubResponse)
    /// Closes the connection after reading the request, without a byte of answer.
    case closeWithoutAnswer
    /// Bytes that are not HTTP, then close.
    case malformed
    /// Exactly these bytes, then close: for answers the other cases cannot shape (no Content-Length, ...).
    case raw(Data)

    public static func status(_ status: Int, body: String = "", headers: [String: String] = [:]) -> StubResponse {
        .respond(status: status, headers: headers, body: Data(body.utf8))
    }

    public static func json(_ status: Int = 200, _ body: String, headers: [String: String] = [:]) -> StubResponse {
        .respond(status: status, headers: headers.merging(["Content-Type": "application/json"]) { mine, _ in mine },
                 body: Data(body.utf8))
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 with a kernel-chosen port, for testing HTTP clients.
/// One request per connection (it always answers `Connection: close`); each connection gets a thread,
/// so slow answers do not hold up others. Request bodies need a Content-Length (no chunked uploads).
/// Call `stop()` when done.
public final class StubHTTPServer: Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: Mutex<@Sendable (RecordedRequest) -> StubResponse>
    private let recorded = Mutex<[RecordedRequest]>([])
    private let stopping = Atomic<Bool>(false)
    private let acceptLoopDone = DispatchSemaphore(value: 0)

    public init(handler: @escaping @Sendable (RecordedRequest) -> StubResponse = { _ in .status(200) }) throws {
        self.handler = Mutex(handler)
        let (listener, port) = try Self.listen()
        self.listener = listener
        self.port = port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "stub-http-accept"
        thread.start()
    }

    /// Replaces the handler; requests already being answered keep the old one.
    public func setHandler(_ handler: @escaping @Sendable (RecordedRequest) -> StubResponse) {
        self.handler.withLock { $0 = handler }
    }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { recorded.withLock { $0 } }
    public var requestCount: Int { recorded.withLock { $0.count } }

    /// Stops accepting and closes the listening socket; connections being answered finish on their own.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        acceptLoopDone.wait()
    }

    /// A port on 127.0.0.1 with nothing listening: bound by the kernel's choice, then closed again.
    public static func unusedPort() throws -> Int {
        let (socket, port) = try listen()
        close(socket)
        return port
    }

    // MARK: - Sockets

    private static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StubHTTPServerError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let error = errno
            close(fd)
            throw StubHTTPServerError.bind(error)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Polls rather than blocking in accept, so that `stop()` is noticed within 20 ms.
    private func acceptLoop() {
        defer {
            close(listener)
            acceptLoopDone.signal()
        }
        while !stopping.load(ordering: .acquiring) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 20) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let thread = Thread { [self] in serve(client) }
            thread.name = "stub-http-connection"
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = StubHTTPParser.readRequest(from: client) else { return }
        recorded.withLock { $0.append(request) }
        let answer = handler.withLock { $0 }(request)
        write(answer, to: client)
    }

    private func write(_ answer: StubResponse, to client: Int32) {
        switch answer {
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) \(StubHTTPParser.reason(status))\r\n"
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            sendAll(Data(head.utf8) + body, to: client)
        case .delay(let duration, let then):
            Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            write(then, to: client)
        case .closeWithoutAnswer:
            return
        case .malformed:
            sendAll(Data("\u{1}\u{2}GARBAGE{{{ not http at all\r\n\r\n".utf8), to: client)
        case .raw(let bytes):
            sendAll(bytes, to: client)
        }
        shutdown(client, Int32(SHUT_WR))
    }

    /// MSG_NOSIGNAL: a client that already gave up must not kill the test process with SIGPIPE.
    private func sendAll(_ data: Data, to client: Int32) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(client, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }
}

public enum StubHTTPServerError: Error {
    case socket(Int32)
    case bind(Int32)
}

/// Just enough HTTP/1.1 parsing for the stub: request line, headers, a Content-Length body.
enum StubHTTPParser {
    static func readRequest(from socket: Int32) -> RecordedRequest? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        func receive() -> Bool {
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            guard buffer.count < 1 << 20, receive() else { return nil }
            headEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        guard let headEnd else { return nil }
        var lines = String(decoding: buffer[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count - headEnd.upperBound < length {
            guard receive() else { return nil }
        }
        let body = Data(buffer[headEnd.upperBound..<(headEnd.upperBound + length)])
        return RecordedRequest(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    static func reason(_ status: Int) -> String {
        let reasons = [200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
                       403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error",
                       502: "Bad Gateway", 503: "Service Unavailable"]
        return reasons[status] ?? "Status"
    }
}
