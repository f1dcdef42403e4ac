import BillingService
import Contracts
import CRMTestSupport
import Foundation
import Messaging
import SQLStore
@testable import WorkerKit

/// What the terms' and documents' tests add to the harness: raw bodies (what a schema refuses),
/// counts, and client cards with names.
extension BillingHarness {
    /// A body as bytes, as a sender wrote it (the processor answers it like any other).
    @discardableResult
    mutating func sendRaw(_ type: String, _ body: Data) throws -> MessageProcessor.Outcome {
        let message = AMQPMessage(body: body, messageID: "raw-\(UUID().uuidString)", type: type, replyTo: "replies",
                                  userID: DevelopmentUsers.adminName)
        let delivery = Delivery(message: message, deliveryTag: 1, redelivered: false, exchange: Exchanges.commands, routingKey: type)
        let now = self.now
        return try storage.write { db in try processor.process([delivery], in: db, now: now) }[0]
    }

    func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try value(sql, arguments, as: Int.self) ?? 0
    }

    /// `client.created` from client-service, with the card's names.
    mutating func clientCreated(store: String, clientID: String, firstName: String, lastName: String,
                                providers: [String] = [], version: Int = 1) throws {
        var fields = ClientFields()
        // What the card's schema requires.
        (fields.kind, fields.newsletter, fields.source, fields.characteristic) = (.person, false, "web", "good")
        fields.firstName = firstName
        fields.lastName = lastName
        fields.connectedProviders = providers
        let outcome = try send("client.created", ClientChanged(client: ClientCard(
            clientID: clientID, storeID: store, version: version, deleted: false, mergedInto: nil, createdAt: now, updatedAt: now,
            fields: fields)))
        guard case .handled = outcome else { throw ReplyError(error: ErrorBody(code: .internal, message: "client.created: \(outcome)")) }
    }
}
