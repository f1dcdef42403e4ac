import Foundation
import Messaging

/// The real broker the test script started: its address from `AMQP_URL`, its control tool from
/// `CRM_RABBITMQCTL`. Each test gets a vhost of its own, so tests never see each other's queues.
enum TestBroker {
    static let environment = ProcessInfo.processInfo.environment

    static var isConfigured: Bool { environment["AMQP_URL"] != nil && environment["CRM_RABBITMQCTL"] != nil }

    static var baseURL: AMQPURL { get throws { try AMQPURL(environment["AMQP_URL"]!) } }

    /// Runs `rabbitmqctl` with the broker's environment (inherited from scripts/test).
    @discardableResult
    static func ctl(_ arguments: String...) throws -> String {
        let (status, output) = try runProgram(URL(fileURLWithPath: environment["CRM_RABBITMQCTL"]!), ["-q"] + arguments)
        guard status == 0 else { throw TestFailure("rabbitmqctl \(arguments.joined(separator: " ")) failed: \(output)") }
        return output
    }

    /// A fresh vhost with full permissions for the test user; returns its URL.
    static func makeVhost() throws -> AMQPURL {
        let name = "test-\(UUID().uuidString.prefix(8))"
        try ctl("add_vhost", name)
        try ctl("set_permissions", "-p", name, try baseURL.user, ".*", ".*", ".*")
        return try baseURL.withVhost(name)
    }

    static func deleteVhost(_ url: AMQPURL) {
        _ = try? ctl("delete_vhost", url.vhost)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration, every interval: Duration = .milliseconds(100),
                _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18)
    }
    return try condition()
}
