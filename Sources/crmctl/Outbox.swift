import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl outbox parked SERVICE`: the messages a service could not publish (the broker refused
/// them: too large, no such exchange, a full dead queue), with the broker's reason.
struct Outbox: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Look at a service's outbox.", subcommands: [Parked.self])

    struct Parked: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the outbox messages the broker refused.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The service, e.g. client-service.") var service: String
        @Option(help: "At most this many (1–1000).") var limit: Int = 50

        func run() throws {
            guard let name = ServiceName(rawValue: service) else {
                throw ValidationError("unknown service \(service)")
            }
            let client = try RequestClient(url: try broker.url())
            let reply = try JSONCoding.decoder.decode(Reply.self, from: client.request(
                type: name.outboxParkedType, body: JSONCoding.encoder.encode(OutboxParkedQuery(limit: limit)),
                timeout: .seconds(broker.timeout)).body)
            guard let result = reply.result else {
                throw ValidationError(reply.error?.message ?? "the service refused the query")
            }
            let list = try JSONCoding.decoder.decode(OutboxParkedList.self, from: JSONCoding.encoder.encode(result))
            for message in list.messages {
                print([
                    message.messageID, RFC3339.string(from: message.parkedAt),
                    "to=\(message.exchange.isEmpty ? "(default)" : message.exchange)/\(message.routingKey)",
                    message.type.map { "type=\($0)" } ?? "", "bytes=\(message.bodyBytes)", message.reason,
                ].filter { !$0.isEmpty }.joined(separator: "  "))
            }
            print("\(list.total) parked message(s), \(list.messages.count) shown")
        }
    }
}
