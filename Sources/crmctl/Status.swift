import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl status`: asks the five services for their status, all at once.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the status of the five services.")

    @OptionGroup var broker: BrokerOptions

    func run() throws {
        let client = try RequestClient(connection: try broker.connect())
        var sent: [(ServiceName, String)] = []
        var lines: [String] = []
        for service in ServiceName.allCases {
            let id = UUID().uuidString
            do {
                try client.send(type: service.statusType, body: Data("{}".utf8), messageID: id)
                sent.append((service, id))
            } catch AMQPError.unroutable {
                lines.append(row(service.rawValue, "never started (no queue bound)"))
            }
        }
        for (service, id) in sent {
            do {
                let reply = try client.waitForReply(correlationID: id, timeout: .seconds(broker.timeout))
                let decoded = try JSONCoding.decoder.decode(Reply.self, from: reply.body)
                guard let result = decoded.result else {
                    lines.append(row(service.rawValue, decoded.error?.message ?? "error"))
                    continue
                }
                let status = try JSONCoding.decoder.decode(ServiceStatus.self, from: JSONCoding.encoder.encode(result))
                lines.append(row(service.rawValue, "up \(status.version) uptime \(status.uptimeSeconds)s  handled \(status.messagesHandled)  outbox \(status.outboxDepth)  dead \(status.deadLetters)\(status.outboxParked.map { $0 > 0 ? "  PARKED \($0) (crmctl outbox parked)" : "" } ?? "")"))
            } catch AMQPError.unroutable {
                lines.append(row(service.rawValue, "never started (no queue bound)"))
            } catch AMQPError.timeout {
                lines.append(row(service.rawValue, "no reply within \(broker.timeout) s (down?)"))
            }
        }
        print(lines.sorted().joined(separator: "\n"))
    }

    private func row(_ service: String, _ text: String) -> String {
        service.padding(toLength: 22, withPad: " ", startingAt: 0) + text
    }
}
