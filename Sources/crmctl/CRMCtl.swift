import ArgumentParser
import Contracts
import Foundation
import Messaging

@main
struct CRMCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmctl",
        abstract: "The operators' tool for the customer-operations services.",
        subcommands: [Status.self, Send.self, Publish.self, Dead.self, Outbox.self, Reliability.self, Notify.self, Client.self, Access.self, Billing.self, Dedupe.self,
                      Database.self])
}

/// Options every subcommand shares.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Broker URL with the user to act as (env AMQP_URL).")
    var amqpURL: String? = ProcessInfo.processInfo.environment["AMQP_URL"]

    @Option(help: "Act as this development user, with its URL from the users file (e.g. operator-demo, crm-admin).")
    var user: String?

    @Option(help: "The users file that `scripts/run` writes (env CRM_USERS_ENV).")
    var usersFile: String = ProcessInfo.processInfo.environment["CRM_USERS_ENV"] ?? ".run/users.env"

    @Option(help: "Seconds to wait for a reply.")
    var timeout: Int = 10

    /// A connection to the first node that answers (`AMQP_URL` may list a cluster's nodes).
    func connect() throws -> AMQPConnection {
        guard user == nil, let amqpURL else { return try AMQPConnection(url: url()) }
        var brokers = try BrokerList(parsing: amqpURL)
        return try brokers.connect()
    }

    /// `--user` wins over `AMQP_URL`; with neither, the administrator of the users file.
    func url() throws -> AMQPURL {
        if user == nil, let amqpURL { return try BrokerList(parsing: amqpURL).urls[0] }
        let name = user ?? "crm-admin"
        guard let url = UsersFile.read(usersFile)[name] else {
            throw ValidationError("no URL for user \(name) in \(usersFile): give --amqp-url, set AMQP_URL, or run scripts/run once")
        }
        return url
    }
}

/// Parses the `--json` argument, so that a typo is caught before anything is sent.
func jsonBody(_ text: String) throws -> Data {
    let data = Data(text.utf8)
    guard case .object = try? JSONValue.parse(data) else {
        throw ValidationError("--json must be one JSON object")
    }
    return data
}

func prettyJSON(_ data: Data) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: data),
          let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    else { return String(decoding: data, as: UTF8.self) }
    return String(decoding: pretty, as: UTF8.self)
}
