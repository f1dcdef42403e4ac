import ArgumentParser
import Contracts
import Foundation
import Messaging
import WorkerKit

/// `crmctl access setup`: the development users (one per service, two shops, an operator, an
/// administrator). Passwords are generated once and kept in `users.env` (mode 600), one URL per
/// user; `access.json` is the policy every service reads; the broker definitions (users and
/// their permissions) are written for `rabbitmqctl import_definitions` and hold passwords, so the
/// scripts delete them after the import.
struct Access: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The development users, their access policy and broker permissions.",
        subcommands: [Setup.self])

    struct Setup: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write users.env, access.json and the broker definitions.")
        @Option(help: "The folder to write into.") var runDir: String = ".run"
        @Option(help: "The broker's host, for the URLs.") var host: String = "127.0.0.1"
        @Option(help: "The broker's AMQP port, for the URLs.") var port: Int = 5672
        @Option(help: "The vhost the users get their permissions on.") var vhost: String = "/"

        func run() throws {
            let folder = URL(fileURLWithPath: runDir)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let usersFile = folder.appendingPathComponent("users.env")
            var passwords = UsersFile.read(usersFile.path).mapValues(\.password)
            let grants = DevelopmentUsers.grants
            for user in grants.keys where passwords[user] == nil { passwords[user] = RandomID.password() }
            let urls = grants.keys.sorted().map { user in
                "\(UsersFile.variable(for: user))=amqp://\(user):\(passwords[user]!)@\(host):\(port)/\(vhost == "/" ? "%2f" : vhost)"
            }
            try writePrivate(urls.joined(separator: "\n") + "\n", to: usersFile)
            try JSONCoding.encoder.encode(AccessPolicy(users: grants).document).write(to: folder.appendingPathComponent("access.json"))
            let definitions = BrokerPermissions.definitions(vhost: vhost, users: grants, passwords: passwords)
            try writePrivate(String(decoding: try JSONCoding.encoder.encode(definitions), as: UTF8.self),
                             to: folder.appendingPathComponent("broker-definitions.json"))
            print("wrote \(usersFile.path), access.json and broker-definitions.json for \(grants.count) users")
        }

        private func writePrivate(_ text: String, to url: URL) throws {
            FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            try Data(text.utf8).write(to: url)
        }
    }
}

/// `users.env`: `AMQP_URL_SHOP_S1=amqp://shop-s1:…@127.0.0.1:5672/%2f`, one line per user, so
/// that a shell can source it and `crmctl --user shop-s1` can read it.
enum UsersFile {
    static func variable(for user: String) -> String {
        "AMQP_URL_" + user.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The URL of each user in the file, by user name; nothing when the file is absent.
    static func read(_ path: String) -> [String: AMQPURL] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var urls: [String: AMQPURL] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), let url = try? AMQPURL(String(line[line.index(after: equals)...])) else { continue }
            urls[url.user] = url
        }
        return urls
    }
}
