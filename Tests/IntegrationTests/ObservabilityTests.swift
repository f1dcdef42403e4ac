import CRMTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Messaging
import Testing

extension BrokerSuite {
    /// What ops scrape and probe: `/metrics`, `/health/live`, `/health/ready` on 127.0.0.1.
    @Suite struct ObservabilityTests {
        static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        @Test func healthAndMetricsEndpointsReportTheWorker() async throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let port = Int.random(in: 20_000...29_999)
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-obs-\(UUID().uuidString)")
            let service = try ServiceProcess("client-service", url: url, dataDirectory: data,
                                             extraEnvironment: ["CRM_METRICS_PORT": String(port)])
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: url, appID: "test"))

            #expect(try await Self.get(port, "/health/live").status == 200)
            #expect(try await Self.get(port, "/health/ready").status == 200)
            #expect(try await Self.get(port, "/nothing").status == 404)

            let publisher = try ConfirmedPublisher(url: url)
            try publisher.publish((0..<20).map { orderPlacedMessage(order: "obs-\($0)", phone: String(format: "+7914%07d", $0)) }
                + [AMQPMessage(body: Data("not json".utf8), messageID: "obs-bad", type: "order.placed")])
            var metrics = ""
            let counted = await eventuallyAsync(timeout: .seconds(10)) {
                metrics = (try? await Self.get(port, "/metrics").body) ?? ""
                return metrics.contains(#"crm_messages_dead_lettered_total{service="client-service",reason="malformed_json"} 1"#)
            }
            #expect(counted, "\(metrics)")
            for name in ["crm_messages_consumed_total", "crm_messages_acked_total", "crm_messages_retried_total",
                         "crm_outbox_depth", "crm_handler_duration_seconds_bucket", "crm_outbox_published_total"] {
                #expect(metrics.contains(name), "\(name) is exported")
            }
            #expect(service.terminate() == 0)
        }
    }
}

/// `eventually` for conditions that need to await.
func eventuallyAsync(timeout: Duration, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return await condition()
}
