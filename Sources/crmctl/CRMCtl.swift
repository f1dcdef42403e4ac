import ArgumentParser
import Contracts
import Foundation
import Messaging

@main
struct CRMCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crmctl",
        abstract: "The operators' tool for the customer-operations services.",
        subcommands: [Status.self, Send.self, Publish.self, Dead.self, Reliability.self, Client.self])
}

/// Options every subcommand shares.
struct BrokerOptions: ParsableArguments {
    @Option(help: "Broker URL (env AMQP_URL).")
    var amqpURL: String = ProcessInfo.processInfo.environment["AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2f"

    @Option(help: "Seconds to wait for a reply.")
    var timeout: Int = 10

    func url() throws -> AMQPURL { try AMQPURL(amqpURL) }
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
