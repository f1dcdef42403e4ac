import ArgumentParser
import Contracts
import Foundation

extension Notify {
    /// `crmctl notify webhooks list|add|remove`: a store's webhook endpoints. The signing secret is
    /// printed once, by `add` (in its reply); keep it then: nothing shows it again.
    struct Webhooks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A store's webhook endpoints: list, add (prints the signing secret once), remove.",
            subcommands: [List.self, Add.self, Remove.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The store's endpoints, with each one's last delivery.")
            @OptionGroup var broker: BrokerOptions
            @Option(help: "The store id.") var store: String

            func run() throws {
                try request(broker, "notification.webhook.list", NotificationWebhookList(storeID: store))
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register an endpoint for some event types.")
            @OptionGroup var broker: BrokerOptions
            @Option(help: "The store id.") var store: String
            @Option(help: "The endpoint, https://… (http only to addresses the service's outbound policy allows).") var url: String
            @Option(help: "An event type to post, e.g. order.status_changed (repeatable).") var event: [String] = []
            @Option(help: "A note for operators.") var description: String?

            func run() throws {
                guard !event.isEmpty else { throw CLIError("--event: at least one event type") }
                try request(broker, "notification.webhook.add", NotificationWebhookAdd(
                    storeID: store, url: url, eventTypes: event, description: description))
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove an endpoint; nothing more is posted to it.")
            @OptionGroup var broker: BrokerOptions
            @Option(help: "The store id.") var store: String
            @Option(help: "The webhook's id (wh-…).") var webhook: String

            func run() throws {
                try request(broker, "notification.webhook.remove", NotificationWebhookRemove(storeID: store, webhookID: webhook))
            }
        }
    }
}
