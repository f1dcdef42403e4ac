import Contracts
import Foundation
import SQLStore
import WorkerKit

/// What is sent by itself, on the events of other services, each switchable per store
/// (`auto_sends`, on by default):
/// - `welcome`: on `client.created` of a buyer who registered (not a guest card made from an
///   order), by e-mail, unless the card says `no_registration_email`;
/// - `reliability_no_trust`: on `reliability.checked` with `no_trust`, an alert to the store's
///   `operator_address`;
/// - `activation`, `password_reset`: the link or code of `client.activation_requested` /
///   `client.password_reset_requested` to the client (e-mail, else SMS to a card with a phone only);
/// - `invoice_issued`, `account_blocked`, `dedupe_summary`: see `AutoSends+Billing.swift`.
/// A template missing or a client unknown ends the delivery as failed with the reason; the
/// event's other work (the copy of the cards, its webhooks) goes on.
/// Each is one delivery per event (keyed `<event message id>/<send name>`), with its outcome
/// published like any other.
struct AutoSends: Sendable {
    let dispatcher: Dispatcher

    func clientCreated(_ db: SQLDatabase, _ event: ClientChanged, _ context: HandlerContext) throws {
        try ClientCopy.changed(db, event)
        let card = event.client
        let f = card.fields
        guard !card.deleted, card.mergedInto == nil, f.source != "order", f.noRegistrationEmail != true, f.email != nil else { return }
        let settings = try NotificationSettings.load(db, storeID: card.storeID)
        guard settings.autoSend("welcome") else { return }
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: card.storeID, channel: .email, clientID: card.clientID, template: "welcome",
            params: ["first_name": f.firstName.map(JSONValue.string) ?? .bool(false),
                     "store_name": .string(settings.senderName ?? card.storeID)],
            category: .transactional, automatic: true, originKey: "\(context.messageID)/welcome"), context)
    }

    func reliabilityChecked(_ db: SQLDatabase, _ event: ReliabilityChecked, _ context: HandlerContext) throws {
        guard event.status == .noTrust else { return }
        let settings = try NotificationSettings.load(db, storeID: event.storeID)
        guard settings.autoSend("reliability_no_trust"), let operators = settings.operatorAddress else { return }
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: event.storeID, channel: .email, recipient: operators, template: "reliability_no_trust",
            locale: settings.locale,
            params: ["phone": .string(event.phone), "client_id": event.clientID.map(JSONValue.string) ?? .bool(false),
                     "checked_at": .string(RFC3339.string(from: event.checkedAt)),
                     "trigger": .string(event.trigger.rawValue)],
            category: .transactional, automatic: true, originKey: "\(context.messageID)/reliability_no_trust"), context)
    }

    func accessRequested(_ name: String, _ db: SQLDatabase, _ event: ClientAccessRequested, _ context: HandlerContext) throws {
        let settings = try NotificationSettings.load(db, storeID: event.storeID)
        guard settings.autoSend(name) else { return }
        let contact = try ClientCopy.contact(db, storeID: event.storeID, clientID: event.clientID)
        // A code reaches a card with only a phone by SMS; a link goes by e-mail.
        let channel: NotificationSend.Channel = contact?.email == nil && contact?.phone != nil ? .sms : .email
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: event.storeID, channel: channel, clientID: event.clientID, template: name,
            params: ["link": event.link.map(JSONValue.string) ?? .bool(false), "code": event.code.map(JSONValue.string) ?? .bool(false),
                     "expires_at": .string(RFC3339.string(from: event.expiresAt)),
                     "store_name": .string(settings.senderName ?? event.storeID)],
            category: .transactional, automatic: true, originKey: "\(context.messageID)/\(name)"), context)
    }
}
