import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl reliability get|check|settings|test-connection`: the rating block for operators.
struct Reliability: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The customer reliability block: ratings, external checks, settings.",
        subcommands: [Get.self, Check.self, Settings.self, TestConnection.self])

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a client's rating, by client or by order.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String?
        @Option(help: "The store's order id.") var order: String?

        func run() throws {
            try request(broker, "reliability.get", ReliabilityGet(storeID: store, clientID: client, orderID: order))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a buyer against the external blacklist service.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String?
        @Option(help: "A phone in any format (read with the store's default country).") var phone: String?
        @Flag(help: "Call the service even when a recent result is stored.") var force = false

        func run() throws {
            try request(broker, "reliability.check", ReliabilityCheck(
                storeID: store, clientID: client, phone: phone, force: force ? true : nil, trigger: .operator_))
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a store's settings, or change the ones given.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "Turn the external check on or off.") var activate: Bool?
        @Option(help: "The partner code at the provider.") var partnerCode: String?
        @Flag(help: "Read the request signature (a secret, never shown back) from standard input; else from env \(Reliability.signatureVariable).")
        var signatureStdin = false
        @Option(help: "The provider's API base URL.") var baseURL: String?
        @Option(help: "Timeout of a call, in milliseconds.") var timeoutMs: Int?
        @Option(help: "Show zero-valued statistics.") var showEmptyParams: Bool?
        @Option(help: "Check every cash-on-delivery order by itself.") var autoCheckCod: Bool?

        func run() throws {
            let update = ReliabilitySettingsUpdate(
                storeID: store, activate: activate, partnerCode: partnerCode, signature: try signature(), baseURL: baseURL,
                timeoutMs: timeoutMs, showEmptyParams: showEmptyParams, autoCheckCOD: autoCheckCod)
            if update == ReliabilitySettingsUpdate(storeID: store) {
                try request(broker, "reliability.settings.get", ReliabilitySettingsGet(storeID: store))
            } else {
                try request(broker, "reliability.settings.update", update)
            }
        }

        /// From standard input with `--signature-stdin` (one line, the newline dropped), else
        /// from the environment, else none (the stored one is kept).
        private func signature() throws -> String? {
            if signatureStdin {
                let line = readLine(strippingNewline: true) ?? ""
                guard !line.isEmpty else { throw CLIError("--signature-stdin: standard input holds no signature") }
                return line
            }
            return ProcessInfo.processInfo.environment[Reliability.signatureVariable].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The signature never comes from the arguments, which `ps` and shell histories show.
    static let signatureVariable = "CRM_RELIABILITY_SIGNATURE"

    struct TestConnection: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test-connection",
                                                        abstract: "Call the provider with the store's settings.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String

        func run() throws {
            try request(broker, "reliability.connection.test", ReliabilityConnectionTest(storeID: store))
        }
    }
}

/// Sends a typed request and prints the reply; a failed reply exits with status 1.
func request<Body: Encodable>(_ broker: BrokerOptions, _ type: String, _ body: Body) throws {
    let client = try RequestClient(connection: try broker.connect())
    do {
        let reply = try client.request(type: type, body: try JSONCoding.encoder.encode(body), timeout: .seconds(broker.timeout))
        print(prettyJSON(reply.body))
        if (try? JSONCoding.decoder.decode(Reply.self, from: reply.body))?.ok != true { throw ExitCode(1) }
    } catch AMQPError.unroutable {
        throw CLIError("no service handles '\(type)'")
    } catch AMQPError.timeout {
        throw CLIError("no reply to '\(type)' within \(broker.timeout) s: is the service running?")
    }
}
