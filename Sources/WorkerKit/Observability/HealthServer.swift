import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for `/metrics`, `/health/live` and `/health/ready`.
/// One request per connection is all scrapers and probes need, so plain sockets on a thread do.
final class HealthServer: Sendable {
    let port: Int
    let metrics: WorkerMetrics
    let isReady: @Sendable () -> Bool
    let logger: Logger
    let stopRequested = SharedFlag()
    /// The listening socket, bound in `init`: a port that is taken is an error at start.
    let listener: Int32

    init(port: Int, metrics: WorkerMetrics, logger: Logger, isReady: @escaping @Sendable () -> Bool) throws {
        self.port = port
        self.metrics = metrics
        self.logger = logger
        self.isReady = isReady
        listener = try Self.listen(port: port)
    }

    deinit { close(listener) }

    private static func listen(port: Int) throws -> Int32 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw HealthServerError.socket(errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 16) == 0 else {
            let error = errno
            close(listener)
            throw HealthServerError.bind(port, error)
        }
        return listener
    }

    func run() {
        logger.info("health and metrics endpoint", metadata: ["url": "http://127.0.0.1:\(port)/metrics"])
        while !stopRequested.isSet {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(client, &buffer, buffer.count)
        guard count > 0 else { return }
        let requestLine = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let (status, body): (String, [UInt8])
        switch path {
        case "/metrics": (status, body) = ("200 OK", metrics.registry.emitToBuffer())
        case "/health/live": (status, body) = ("200 OK", Array("live\n".utf8))
        case "/health/ready":
            (status, body) = isReady() ? ("200 OK", Array("ready\n".utf8)) : ("503 Service Unavailable", Array("not ready\n".utf8))
        default: (status, body) = ("404 Not Found", Array("not found\n".utf8))
        }
        let contentType = path == "/metrics" ? "text/plain; version=0.0.4" : "text/plain"
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let response = Array(head.utf8) + body
        _ = response.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

enum HealthServerError: Error, CustomStringConvertible {
    case socket(Int32)
    case bind(Int, Int32)

    var description: String {
        switch self {
        case .socket(let code): return "cannot open a socket for metrics and health: \(String(cString: strerror(code)))"
        case .bind(let port, let code):
            return "cannot listen on 127.0.0.1:\(port) for metrics and health (CRM_METRICS_PORT): \(String(cString: strerror(code)))"
        }
    }
}
