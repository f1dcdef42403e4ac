import Contracts
import Foundation
import Messaging
import WorkerKit

/// The real broker the test script started: its address from `AMQP_URL`, its control tool from
/// `CRM_RABBITMQCTL`. Each test gets a vhost of its own, so tests never see each other's queues.
enum TestBroker {
    static let environment = ProcessInfo.processInfo.environment

    static var isConfigured: Bool { environment["AMQP_URL"] != nil && environment["CRM_RABBITMQCTL"] != nil }

    static var baseURL: AMQPURL { get throws { try AMQPURL(environment["AMQP_URL"]!) } }

    /// Runs `rabbitmqctl` with the broker's environment (inherited from scripts/test).
    @discardableResult
    static func ctl(_ arguments: String...) throws -> String { try ctl(arguments) }

    static func ctl(_ arguments: [String]) throws -> String {
        let (status, output) = try runProgram(URL(fileURLWithPath: environment["CRM_RABBITMQCTL"]!), ["-q"] + arguments)
        guard status == 0 else { throw TestFailure("rabbitmqctl \(arguments.joined(separator: " ")) failed: \(output)") }
        return output
    }

    /// A fresh vhost where the test user (the broker's default, an admin in the tests' policy)
    /// may do everything and each development user has exactly the permissions of its role, as
    /// `crmctl access setup` grants them; returns the test user's URL for it. One
    /// `import_definitions` call does it all (each rabbitmqctl call costs about a second).
    static func makeVhost() throws -> AMQPURL {
        let name = "test-\(UUID().uuidString.prefix(8))"
        let base = try baseURL
        var users = DevelopmentUsers.grants
        users[base.user] = AccessGrant(role: .admin)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-defs-\(name).json")
        try JSONCoding.encoder.encode(BrokerPermissions.definitions(vhost: name, users: users)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try ctl("import_definitions", file.path)
        return base.withVhost(name)
    }

    /// An access policy file: the development users, and `admin` as an administrator.
    static func policyFile(admin: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-access-\(admin)-\(UUID().uuidString.prefix(8)).json")
        try JSONCoding.encoder.encode(DevelopmentUsers.policy(withAdmin: admin).document).write(to: file)
        return file
    }

    /// The passwords of the development users, from the file `crmctl access setup` wrote.
    static let passwords: [String: String] = {
        guard let path = environment["CRM_USERS_ENV"], let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var passwords: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), let url = try? AMQPURL(String(line[line.index(after: equals)...])) else { continue }
            passwords[url.user] = url.password
        }
        return passwords
    }()

    /// The same vhost as `url`, logged in as one of the development users.
    static func url(_ url: AMQPURL, as user: String) throws -> AMQPURL {
        guard let password = passwords[user] else { throw TestFailure("no password for \(user): is CRM_USERS_ENV set?") }
        var copy = url
        copy.user = user
        copy.password = password
        return copy
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
