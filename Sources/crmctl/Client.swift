import ArgumentParser
import Contracts
import Foundation
import Messaging

/// `crmctl client create|get|search|update|delete|restore|history`: the client registry for operators.
struct Client: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The client registry: cards, search, changes and their history.",
        subcommands: [Create.self, Get.self, Search.self, Update.self, Delete.self, Restore.self, History.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a client card in a store.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The first name.") var firstName: String
        @Option(help: "The last name.") var lastName: String?
        @Option(help: "The e-mail (unique among the store's live clients).") var email: String?
        @Option(help: "The mobile phone, in any format (unique among the store's live clients).") var phone: String?
        @Option(help: #"More fields, one JSON object, e.g. '{"groups": ["vip"]}'."#) var json: String?

        func run() throws {
            var body = try jsonFields(json)
            body["store_id"] = .string(store)
            body.set(["first_name": firstName, "last_name": lastName, "email": email, "phone": phone])
            try request(broker, "client.create", JSONValue.object(body))
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a client's card with its orders.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String

        func run() throws {
            try request(broker, "client.get", ClientRef(storeID: store, clientID: client))
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find a store's clients by name, e-mail, phone or id.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "Free text: the starts of names, e-mail or phone digits.") var query: String?
        @Option(help: "The exact e-mail.") var email: String?
        @Option(help: "The phone, in any format.") var phone: String?
        @Option(help: "The client id.") var client: String?
        @Flag(help: "Include deleted and merged clients.") var includeDeleted = false
        @Option(help: "The page size.") var limit: Int?
        @Option(help: "The next_cursor of the previous page.") var cursor: String?

        func run() throws {
            try request(broker, "client.search", ClientSearch(
                storeID: store, query: query, email: email, phone: phone, clientID: client,
                includeDeleted: includeDeleted ? true : nil, limit: limit, cursor: cursor))
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the fields given; an empty string clears a field.",
            discussion: #"e.g. crmctl client update --store s1 --client ID --version 3 --json '{"last_name": "Иванова"}'"#)
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String
        @Option(help: "The card's version as read: a stale one is a conflict.") var version: Int
        @Option(help: "The fields to change, one JSON object.") var json: String?
        @Option(help: "The first name.") var firstName: String?
        @Option(help: "The last name (an empty string clears it).") var lastName: String?
        @Option(help: "The e-mail (an empty string clears it).") var email: String?
        @Option(help: "The mobile phone, in any format (an empty string clears it).") var phone: String?

        func run() throws {
            var body = try jsonFields(json)
            body.set(["first_name": firstName, "last_name": lastName, "email": email, "phone": phone])
            guard !body.isEmpty else {
                throw ValidationError("nothing to change: give --json or --first-name/--last-name/--email/--phone")
            }
            body["store_id"] = .string(store)
            body["client_id"] = .string(client)
            body["version"] = .integer(Int64(version))
            try request(broker, "client.update", JSONValue.object(body))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a client (it can be restored).")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String

        func run() throws {
            try request(broker, "client.delete", ClientRef(storeID: store, clientID: client))
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Restore a deleted client.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String

        func run() throws {
            try request(broker, "client.restore", ClientRef(storeID: store, clientID: client))
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a client's changes, newest first.")
        @OptionGroup var broker: BrokerOptions
        @Option(help: "The store id.") var store: String
        @Option(help: "The client id.") var client: String
        @Option(help: "At most this many changes.") var limit: Int?

        func run() throws {
            try request(broker, "client.history", ClientHistoryQuery(storeID: store, clientID: client, limit: limit))
        }
    }
}

/// The fields of a `--json` argument (none when it is absent); a typo is caught before anything is sent.
private func jsonFields(_ text: String?) throws -> [String: JSONValue] {
    guard let text else { return [:] }
    return try JSONValue.parse(try jsonBody(text)).objectValue ?? [:]
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The options given win over the same keys in `--json`; options not given leave them alone.
    mutating func set(_ options: [String: String?]) {
        for case let (key, value?) in options { self[key] = .string(value) }
    }
}
