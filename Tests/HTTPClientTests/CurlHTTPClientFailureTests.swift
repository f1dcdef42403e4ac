import CRMTestSupport
import Foundation
import HTTPClient
import Testing

/// How each kind of missing answer comes back: the error case a caller maps to a fault, and no hang.
@Suite struct CurlHTTPClientFailureTests {
    let client = CurlHTTPClient()

    @Test func slowServerTimesOut() throws {
        let serverDelay = Duration.seconds(3)
        let timeout = Duration.milliseconds(400)
        let server = try StubHTTPServer { _ in .delay(serverDelay, then: .status(200)) }
        defer { server.stop() }

        let (error, elapsed) = failure(of: HTTPRequest(url: server.baseURL + "/slow", timeout: timeout))

        #expect(error == .timeout)
        #expect(elapsed >= timeout * 0.9)
        #expect(elapsed < timeout * 2)
        #expect(elapsed < serverDelay)
    }

    @Test func connectionRefused() throws {
        let port = try StubHTTPServer.unusedPort()

        let (error, elapsed) = failure(of: HTTPRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(5)))

        guard case .connectionFailed(let message) = error else {
            Issue.record("expected .connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(!message.isEmpty)
        #expect(elapsed < .seconds(2))
    }

    @Test func unresolvableHostIsAConnectionFailure() throws {
        let (error, _) = failure(of: HTTPRequest(url: "http://no-such-host.invalid/", timeout: .seconds(5)))

        guard case .connectionFailed = error else {
            Issue.record("expected .connectionFailed, got \(String(describing: error))")
            return
        }
    }

    @Test func serverClosingWithoutAnswerFailsFast() throws {
        let server = try StubHTTPServer { _ in .closeWithoutAnswer }
        defer { server.stop() }

        let (error, elapsed) = failure(of: HTTPRequest(url: server.baseURL + "/", timeout: .seconds(5)))

        // curl's "Empty reply from server": the request did arrive, so it is not a connection failure.
        guard case .other(code: 52, _) = error else {
            Issue.record("expected .other(code: 52), got \(String(describing: error))")
            return
        }
        #expect(elapsed < .seconds(2))
        #expect(server.requestCount == 1)
    }

    @Test func malformedAnswerFails() throws {
        let server = try StubHTTPServer { _ in .malformed }
        defer { server.stop() }

        let (error, elapsed) = failure(of: HTTPRequest(url: server.baseURL + "/", timeout: .seconds(5)))

        guard case .other = error else {
            Issue.record("expected .other, got \(String(describing: error))")
            return
        }
        #expect(elapsed < .seconds(2))
    }

    @Test func bodyOverTheLimitIsTooLarge() throws {
        let big = Data(repeating: UInt8(ascii: "a"), count: CurlHTTPClient.defaultMaxResponseBytes + 1)
        let server = try StubHTTPServer { _ in .respond(status: 200, headers: [:], body: big) }
        defer { server.stop() }

        let (error, _) = failure(of: HTTPRequest(url: server.baseURL + "/big", timeout: .seconds(5)))

        #expect(error == .tooLarge)
    }

    @Test func streamedBodyOverTheLimitIsTooLarge() throws {
        // No Content-Length: the body ends when the server closes, so only the write callback can stop it.
        let small = CurlHTTPClient(maxResponseBytes: 1000)
        let head = Data("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8)
        let server = try StubHTTPServer { request in
            .raw(head + Data(repeating: UInt8(ascii: "b"), count: request.path == "/fits" ? 1000 : 100_000))
        }
        defer { server.stop() }

        let fits = try small.perform(HTTPRequest(url: server.baseURL + "/fits", timeout: .seconds(5)))
        let (error, _) = failure(of: HTTPRequest(url: server.baseURL + "/over", timeout: .seconds(5)), client: small)

        #expect(fits.body.count == 1000)
        #expect(error == .tooLarge)
    }

    @Test func invalidRequestsAreRefusedBeforeSending() throws {
        let injected = HTTPRequest(url: "http://127.0.0.1:1/", headers: ["X-Evil": "a\r\nHost: elsewhere"])
        let ftp = HTTPRequest(url: "ftp://127.0.0.1/file")

        guard case .invalidRequest = failure(of: injected).error, case .invalidRequest = failure(of: ftp).error else {
            Issue.record("expected .invalidRequest for a header with a line break and for an ftp URL")
            return
        }
    }

    // MARK: - Helpers

    /// Performs a request that is expected to fail; returns the error (nil if it succeeded) and how long it took.
    private func failure(of request: HTTPRequest, client: CurlHTTPClient? = nil) -> (error: HTTPClientError?, elapsed: Duration) {
        var caught: HTTPClientError?
        let elapsed = ContinuousClock().measure {
            do throws(HTTPClientError) { _ = try (client ?? self.client).perform(request) } catch { caught = error }
        }
        return (caught, elapsed)
    }
}
