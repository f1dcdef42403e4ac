import ArgumentParser
import Contracts
import Foundation

/// `crmctl notify send|templates|render|deliveries|settings|webhooks`: notification-service for operators.
struct Notify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Notifications: send from a template, the templates, the delivery log, webhooks.",
        subcommands: [SendMessage.self, Templates.self, Render.self, Deliveries.self, Settings.self, Webhooks.self])

    struct SendMessage: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send one message from a template.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "email or sms.") var channel: String
        @Option(help: "An e-mail address or a phone.") var to: String?
        @Option(help: "A client id (the address comes from the client's card).") var client: String?
        @Option(help: "The template's name.") var template: String
        @Option(help: "ru or en (else the client's language, else the store's locale).") var locale: String?
        @Option(help: "A parameter, name=value (repeatable).") var param: [String] = []
        @Option(help: "Parameters as a JSON object (merged under --param).") var paramsJSON: String?
        @Flag(help: "A marketing message (honours the client's newsletter / SMS flags).") var marketing = false

        func run() throws {
            guard let channel = NotificationSend.Channel(rawValue: channel) else { throw CLIError("--channel: email or sms") }
            try request(broker, "notification.send", NotificationSend(
                storeID: store, channel: channel, recipient: to, clientID: client, template: template, locale: locale,
                params: try parameters(param, json: paramsJSON), category: marketing ? .marketing : .transactional))
        }
    }

    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a store's templates, or show one with --name and --locale.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The template's name.") var name: String?
        @Option(help: "ru or en.") var locale: String = "ru"

        func run() throws {
            if let name {
                try request(broker, "notification.template.get", NotificationTemplateGet(storeID: store, name: name, locale: locale))
            } else {
                try request(broker, "notification.template.list", NotificationTemplateList(storeID: store))
            }
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Preview a template with parameters; nothing is sent.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The template's name.") var name: String
        @Option(help: "ru or en (else the store's locale).") var locale: String?
        @Option(help: "A parameter, name=value (repeatable).") var param: [String] = []
        @Option(help: "Parameters as a JSON object (merged under --param).") var paramsJSON: String?

        func run() throws {
            try request(broker, "notification.template.render", NotificationTemplateRender(
                storeID: store, name: name, locale: locale, params: try parameters(param, json: paramsJSON)))
        }
    }

    struct Deliveries: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The delivery log, by delivery, client or recipient.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "A delivery id.") var delivery: String?
        @Option(help: "A client id.") var client: String?
        @Option(help: "An e-mail address or a phone.") var to: String?
        @Option(help: "At most this many, newest first.") var limit: Int?

        func run() throws {
            try request(broker, "notification.deliveries", NotificationDeliveriesQuery(
                storeID: store, deliveryID: delivery, clientID: client, recipient: to, limit: limit))
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a store's settings, or change the ones given.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The From address of e-mails.") var senderAddress: String?
        @Option(help: "The From name of e-mails.") var senderName: String?
        @Option(help: "Where alerts to the store's operators go.") var operatorAddress: String?
        @Option(help: "smtp://host:port or smtps://host:port.") var smtpURL: String?
        @Option(help: "The SMTP login.") var smtpLogin: String?
        @Option(help: "The SMS gateway's URL.") var smsURL: String?
        @Option(help: "The SMS sender name.") var smsSender: String?
        @Option(help: "ru or en.") var locale: String?
        @Option(help: "Attempts of a delivery before it fails.") var maxAttempts: Int?
        @Option(help: "Messages to one recipient per hour.") var recipientHourlyLimit: Int?
        @Option(help: "An automatic send on or off, name=true|false (repeatable).") var autoSend: [String] = []
        @Option(help: "Read a secret (smtp_password or sms_token; never shown back) from standard input.")
        var secretStdin: String?

        func run() throws {
            var update = NotificationSettingsUpdate(
                storeID: store, senderAddress: senderAddress, senderName: senderName, operatorAddress: operatorAddress,
                smtpURL: smtpURL, smtpLogin: smtpLogin, smsURL: smsURL, smsSender: smsSender, locale: locale,
                maxAttempts: maxAttempts, recipientHourlyLimit: recipientHourlyLimit)
            if !autoSend.isEmpty {
                update.autoSends = try Dictionary(uniqueKeysWithValues: autoSend.map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let on = Bool(parts[1]) else { throw CLIError("--auto-send \(pair): name=true|false") }
                    return (parts[0], on)
                })
            }
            // Secrets never come from the arguments, which `ps` and shell histories show.
            if let field = secretStdin {
                let line = readLine(strippingNewline: true) ?? ""
                guard !line.isEmpty else { throw CLIError("--secret-stdin: standard input holds no secret") }
                switch field {
                case "smtp_password": update.smtpPassword = line
                case "sms_token": update.smsToken = line
                default: throw CLIError("--secret-stdin: smtp_password or sms_token")
                }
            }
            if update == NotificationSettingsUpdate(storeID: store) {
                try request(broker, "notification.settings.get", NotificationSettingsGet(storeID: store))
            } else {
                try request(broker, "notification.settings.update", update)
            }
        }
    }
}

/// `--params-json` as the base, each `--param name=value` (a string) over it.
private func parameters(_ pairs: [String], json: String?) throws -> [String: JSONValue] {
    var params: [String: JSONValue] = [:]
    if let json {
        guard let object = (try? JSONValue.parse(Data(json.utf8)))?.objectValue else { throw CLIError("--params-json: not a JSON object") }
        params = object
    }
    for pair in pairs {
        guard let equals = pair.firstIndex(of: "=") else { throw CLIError("--param \(pair): name=value") }
        params[String(pair[..<equals])] = .string(String(pair[pair.index(after: equals)...]))
    }
    return params
}
