import CRMTestSupport
import Foundation
import Messaging
import Testing

extension BrokerSuite {
    /// The five service executables and crmctl, as an operator uses them.
    @Suite struct OperatorToolTests {
        /// Runs crmctl against the test's vhost; returns its exit status and output.
        static func crmctl(_ url: AMQPURL, _ arguments: String...) throws -> (status: Int32, output: String) {
            try crmctl(url, arguments)
        }

        static func crmctl(_ url: AMQPURL, _ arguments: [String], environment: [String: String] = [:],
                           input: String? = nil) throws -> (status: Int32, output: String) {
            try runProgram(URL(fileURLWithPath: ProcessInfo.processInfo.environment["CRM_BIN_DIR"]!).appendingPathComponent("crmctl"),
                           arguments + ["--amqp-url", url.connectionString], environment: environment, input: input)
        }

        @Test func statusShowsTheFiveServicesAndSendReportsUnhandledCommandsAtOnce() throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-ops-\(UUID().uuidString)")
            let names = ["client-service", "billing-service", "reliability-service", "dedupe-service", "notification-service"]
            let services = try names.map { try ServiceProcess($0, url: url, dataDirectory: data) }
            defer { services.forEach { if $0.process.isRunning { $0.kill() } } }
            let client = try RequestClient(url: url, appID: "test")
            for name in names { try ServiceProcess.waitUntilAnswering(name, client: client) }

            let status = try Self.crmctl(url, "status")
            #expect(status.status == 0, "\(status.output)")
            for name in names {
                #expect(status.output.contains("\(name)".padding(toLength: 22, withPad: " ", startingAt: 0) + "up 0.1.0"), "\(status.output)")
            }

            let started = ContinuousClock.now
            let unhandled = try Self.crmctl(url, "send", "nobody.handles", "--json", "{}")
            #expect(unhandled.status != 0)
            #expect(unhandled.output.contains("no service handles 'nobody.handles'"), "\(unhandled.output)")
            #expect(ContinuousClock.now - started < .seconds(5))

            let invalid = try Self.crmctl(url, "send", "billing-service.status", "--json", #"{"x": 1}"#)
            #expect(invalid.status == 1)
            #expect(invalid.output.contains("validation_failed"))

            for service in services { #expect(service.terminate() == 0, "SIGTERM: a clean stop") }
        }

        @Test func publishedEventsAreHandledAndDeadLettersCanBeListedAndReplayed() throws {
            let url = try TestBroker.makeVhost()
            defer { TestBroker.deleteVhost(url) }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("crm-ops-\(UUID().uuidString)")
            let service = try ServiceProcess("client-service", url: url, dataDirectory: data)
            defer { if service.process.isRunning { service.kill() } }
            try ServiceProcess.waitUntilAnswering("client-service", client: try RequestClient(url: url, appID: "test"))
            let database = data.appendingPathComponent("client-service.sqlite")

            let order = String(decoding: orderPlacedMessage(order: "ops-1", phone: "8 (912) 345-67-89").body, as: UTF8.self)
            let published = try Self.crmctl(url, "publish", "order.placed", "--json", order)
            #expect(published.status == 0, "\(published.output)")
            #expect(try eventually(timeout: .seconds(10)) {
                try countRows(in: database, "SELECT COUNT(*) FROM client WHERE phone = '+79123456789'") == 1
            }, "the national form was read as a Russian number")

            // An empty first name fails the schema (an impossible phone would not: the order would
            // go by its other keys).
            let bad = order.replacingOccurrences(of: "ops-1", with: "ops-2").replacingOccurrences(of: "\"first_name\":\"Anna\"", with: "\"first_name\":\"\"")
            _ = try Self.crmctl(url, "publish", "order.placed", "--json", bad, "--message-id", "bad-1")
            #expect(try eventually(timeout: .seconds(10)) {
                try Self.crmctl(url, "dead", "list", "client-service").output.contains("bad-1")
            })
            let listed = try Self.crmctl(url, "dead", "list", "client-service").output
            #expect(listed.contains("schema_violation") && listed.contains("first_name"), "\(listed)")

            // The replayed copy is handled again (and dies again, since its name is still empty).
            let replayed = try Self.crmctl(url, "dead", "replay", "client-service", "--message-id", "bad-1")
            #expect(replayed.output.contains("1 dead letter(s) replayed"), "\(replayed.output)")
            #expect(try eventually(timeout: .seconds(10)) {
                try Self.crmctl(url, "dead", "list", "client-service").output.contains("bad-1")
            })
            #expect(service.terminate() == 0)
        }
    }
}
