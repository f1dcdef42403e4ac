import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl send TYPE --json '…'`: a command or query, and its reply.
struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a command or query and print the reply.")

    @OptionGroup var broker: BrokerOptions

    @Argument(help: "The message type, e.g. client-service.status.")
    var type: String

    @Option(help: "The body, one JSON object.")
    var json: String = "{}"

    func run() throws {
        try request(broker, type, RawJSON(data: try jsonBody(json)))
    }
}

/// `crmctl publish TYPE --json '…'`: an event on `crm.events`, confirmed by the broker.
struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Publish an event on crm.events.")

    @OptionGroup var broker: BrokerOptions

    @Argument(help: "The event type, e.g. order.placed.")
    var type: String

    @Option(help: "The body, one JSON object.")
    var json: String

    @Option(help: "The message id (the idempotency key); a new one by default.")
    var messageID: String = UUID().uuidString

    func run() throws {
        let body = try jsonBody(json)
        let connection = try broker.connect()
        try connection.enableConfirms()
        try connection.publish(exchange: Exchanges.events, routingKey: type, message: AMQPMessage(
            body: body, messageID: messageID, type: type, appID: "crmctl", timestamp: Date()))
        try connection.waitForConfirms(timeout: .seconds(broker.timeout))
        connection.close()
        print("published \(type) \(messageID)")
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A body that is already JSON, passed through as it is.
struct RawJSON: Encodable {
    let data: Data

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(try JSONValue.parse(data))
    }
}
