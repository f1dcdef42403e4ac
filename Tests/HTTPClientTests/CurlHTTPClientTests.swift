import CRMTestSupport
import Foundation
import HTTPClient
import Testing

/// The client against a real HTTP/1.1 server on 127.0.0.1: what goes over the wire and comes back.
@Suite struct CurlHTTPClientTests {
    let client = CurlHTTPClient()

    @Test func jsonRoundTrip() throws {
        let server = try StubHTTPServer { _ in .json(200, #"{"listed":false}"#, headers: ["X-Request-Id": "r-1"]) }
        defer { server.stop() }
        let json = Data(#"{"phone":"+79120000001"}"#.utf8)

        let response = try client.postJSON(url: server.baseURL + "/v11/recipient", json: json,
                                           headers: ["Authorization": "Bearer s3cret"], timeout: .seconds(5))

        #expect(response.status == 200)
        #expect(response.isSuccess)
        #expect(response.text == #"{"listed":false}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.header("X-Request-ID") == "r-1")
        let seen = try #require(server.requests.first)
        #expect(server.requestCount == 1)
        #expect(seen.method == "POST")
        #expect(seen.path == "/v11/recipient")
        #expect(seen.body == json)
        #expect(seen.header("Authorization") == "Bearer s3cret")
        #expect(seen.header("Content-Type") == "application/json")
        #expect(seen.header("Accept") == "application/json")
        #expect(seen.header("Expect") == nil)
    }

    @Test(arguments: [401, 500])
    func errorStatusesAreResponses(status: Int) throws {
        let server = try StubHTTPServer { _ in .status(status, body: "nope") }
        defer { server.stop() }

        let response = try client.perform(HTTPRequest(url: server.baseURL + "/x", timeout: .seconds(5)))

        #expect(response.status == status)
        #expect(!response.isSuccess)
        #expect(response.text == "nope")
    }

    @Test func methodsAndBodies() throws {
        let server = try StubHTTPServer { request in .status(200, body: request.method + " " + request.text) }
        defer { server.stop() }
        let url = server.baseURL + "/item/7"

        let put = try client.perform(HTTPRequest(method: .put, url: url, body: Data("v=1".utf8), timeout: .seconds(5)))
        let delete = try client.perform(HTTPRequest(method: .delete, url: url, timeout: .seconds(5)))
        let get = try client.perform(HTTPRequest(url: url, timeout: .seconds(5)))
        let head = try client.perform(HTTPRequest(method: .head, url: url, timeout: .seconds(5)))
        let emptyPost = try client.perform(HTTPRequest(method: .post, url: url, timeout: .seconds(5)))

        #expect(put.text == "PUT v=1")
        #expect(delete.text == "DELETE ")
        #expect(get.text == "GET ")
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(emptyPost.text == "POST ")
        #expect(server.requests.map(\.method) == ["PUT", "DELETE", "GET", "HEAD", "POST"])
    }

    @Test func handlerCanChangeWhileRunning() throws {
        let server = try StubHTTPServer { _ in .status(200) }
        defer { server.stop() }
        let request = HTTPRequest(url: server.baseURL + "/", timeout: .seconds(5))

        #expect(try client.perform(request).status == 200)
        server.setHandler { _ in .status(503) }
        #expect(try client.perform(request).status == 503)
        #expect(server.requestCount == 2)
    }

    @Test func concurrentRequestsFromFourThreads() async throws {
        let server = try StubHTTPServer { request in
            .delay(.milliseconds(20), then: .status(200, body: request.path + "|" + request.text))
        }
        defer { server.stop() }
        let client = client

        let results = await onThreads(4) { thread in
            (0..<5).map { index -> Bool in
                let request = HTTPRequest(method: .post, url: server.baseURL + "/item/\(thread)-\(index)",
                                          body: Data("body \(thread)-\(index)".utf8), timeout: .seconds(10))
                let response = try? client.perform(request)
                return response?.text == "/item/\(thread)-\(index)|body \(thread)-\(index)"
            }
        }

        #expect(results.flatMap { $0 }.count == 20)
        #expect(results.flatMap { $0 }.allSatisfy { $0 })
        #expect(server.requestCount == 20)
    }

    @Test func asyncSend() async throws {
        let server = try StubHTTPServer { request in .status(200, body: "pong " + request.method) }
        defer { server.stop() }

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/ping", timeout: .seconds(5)))
        let json = try await client.send(.postJSON(url: server.baseURL + "/ping", json: Data("{}".utf8), timeout: .seconds(5)))

        #expect(response.status == 200)
        #expect(response.text == "pong GET")
        #expect(json.text == "pong POST")
    }

    // MARK: - Helpers

    /// Runs `body` on `count` threads of their own at once and collects what each returned, by thread index.
    private func onThreads<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for index in 0..<count {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread { continuation.resume(returning: (index, body(index))) }.start()
                    }
                }
            }
            var results = [(Int, T)]()
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
