import ArgumentParser
import Contracts
import Foundation
import Messaging
import WorkerKit

/// `crmctl dead list|replay SERVICE`: what a service dead-lettered, and sending it back.
struct Dead: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List or replay a service's dead letters.", subcommands: [List.self, Replay.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show dead letters (they stay in the queue).")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The service, e.g. client-service.") var service: String
        @Option(help: "At most this many.") var limit: Int = 50

        func run() throws {
            // Deliveries are read without ack; closing the connection puts them all back.
            let connection = try broker.connect()
            try connection.setPrefetch(UInt16(clamping: limit))
            try connection.consume(queue: "\(service).dead")
            var shown = 0
            while shown < limit, let delivery = try connection.nextDelivery(timeout: .seconds(1)) {
                let h = delivery.message.headers
                print([
                    delivery.message.messageID ?? "-",
                    h[DeadLetterHeader.failedAt]?.stringValue ?? "-",
                    h[DeadLetterHeader.reason]?.stringValue ?? "-",
                    "type=\(delivery.message.type ?? h[DeadLetterHeader.originalRoutingKey]?.stringValue ?? "-")",
                    h[DeadLetterHeader.field].flatMap { $0.stringValue }.map { "field=\($0)" } ?? "",
                    h[DeadLetterHeader.detail]?.stringValue ?? "",
                ].filter { !$0.isEmpty }.joined(separator: "  "))
                shown += 1
            }
            connection.close()
            print("\(shown) dead letter(s) shown")
        }
    }

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send dead letters back to their service's queue.")
        @OptionGroup var broker: BrokerOptions
        @Argument(help: "The service, e.g. client-service.") var service: String
        @Option(help: "Only the dead letter with this message id.") var messageID: String?
        @Option(help: "At most this many.") var limit: Int = 1000

        func run() throws {
            let consumer = try broker.connect()
            let publisher = try broker.connect()
            try publisher.enableConfirms()
            // Only what is there now: a replayed message that dies again must not come round again.
            let available = try consumer.declareQueue("\(service).dead", passive: true).messageCount
            try consumer.setPrefetch(100)
            try consumer.consume(queue: "\(service).dead")
            var replayed = 0
            var seen = 0
            while replayed < limit, seen < available, let delivery = try consumer.nextDelivery(timeout: .seconds(1)) {
                seen += 1
                // Others stay unacked and go back to the queue when the connection closes.
                if let messageID, delivery.message.messageID != messageID { continue }
                var message = delivery.message
                message.headers = message.headers.filter { !$0.key.hasPrefix("x-dead-") && $0.key != DeadLetterHeader.retryCount }
                message.headers[DeadLetterHeader.replayed] = .bool(true)
                // Republished as this tool's user (the broker refuses another user_id); the
                // service acts for the original sender, which it believes from an admin only.
                if message.headers[AccessControl.originalUserHeader] == nil, let sender = message.userID {
                    message.headers[AccessControl.originalUserHeader] = .string(sender)
                }
                message.userID = nil
                try publisher.publish(exchange: "", routingKey: service, message: message)
                try publisher.waitForConfirms()
                // Acked only once the broker holds the replayed copy: nothing is lost in between.
                try consumer.ack(delivery.deliveryTag)
                replayed += 1
            }
            consumer.close()
            publisher.close()
            print("\(replayed) dead letter(s) replayed to \(service)")
        }
    }
}
