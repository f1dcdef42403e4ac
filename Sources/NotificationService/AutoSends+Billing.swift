import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The automatic sends on billing-service's and dedupe-service's events, each switchable per store:
/// - `invoice_issued`: the invoice to the client by e-mail, its PDF (`pdf_base64`) attached,
///   in the invoice's own language;
/// - `account_blocked`: the client is told the services are suspended, and why;
/// - `dedupe_summary`: the store's `operator_address` gets the figures of a merge run.
extension AutoSends {
    func invoiceIssued(_ db: SQLDatabase, _ event: BillingInvoiceIssued, _ context: HandlerContext) throws {
        let settings = try NotificationSettings.load(db, storeID: event.storeID)
        guard settings.autoSend("invoice_issued") else { return }
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: event.storeID, channel: .email, clientID: event.clientID, template: "invoice_issued",
            locale: Dispatcher.supportedLocale(event.locale),
            params: ["number": .string(event.number), "total": .string(MoneyText.format(event.total)),
                     "issued_at": .string(RFC3339.string(from: event.issuedAt)),
                     "store_name": .string(settings.senderName ?? event.storeID)],
            category: .transactional,
            attachments: [EmailAttachment(filename: event.filename, contentType: "application/pdf", contentBase64: event.pdfBase64)],
            automatic: true, originKey: "\(context.messageID)/invoice_issued"), context)
    }

    func accountBlocked(_ db: SQLDatabase, _ event: BillingAccountBlocking, _ context: HandlerContext) throws {
        let settings = try NotificationSettings.load(db, storeID: event.storeID)
        guard settings.autoSend("account_blocked") else { return }
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: event.storeID, channel: .email, clientID: event.clientID, template: "account_blocked",
            params: ["overdue": .bool(event.reason == "overdue"), "credit_limit": .bool(event.reason == "credit_limit"),
                     "balance": .string(MoneyText.format(event.balance)), "account_id": .string(event.accountID),
                     "store_name": .string(settings.senderName ?? event.storeID)],
            category: .transactional, automatic: true, originKey: "\(context.messageID)/account_blocked"), context)
    }

    func dedupeRunCompleted(_ db: SQLDatabase, _ event: DedupeRunCompleted, _ context: HandlerContext) throws {
        let settings = try NotificationSettings.load(db, storeID: event.storeID)
        guard settings.autoSend("dedupe_summary"), let operators = settings.operatorAddress else { return }
        _ = try dispatcher.dispatch(db, Dispatch(
            storeID: event.storeID, channel: .email, recipient: operators, template: "dedupe_summary", locale: settings.locale,
            params: ["run_id": .string(event.runID), "started_by": .string(event.startedBy), "automatic": .bool(event.automatic),
                     "groups_merged": .string(String(event.groupsMerged)), "clients_merged": .string(String(event.clientsMerged)),
                     "groups_skipped": .string(String(event.groupsSkipped)), "groups_refused": .string(String(event.groupsRefused)),
                     "finished_at": .string(RFC3339.string(from: event.finishedAt))],
            category: .transactional, automatic: true, originKey: "\(context.messageID)/dedupe_summary"), context)
    }
}

/// An amount for people: minor units as `-1 234.50 RUB` (two decimals; every currency we bill has them).
enum MoneyText {
    static func format(_ money: Money) -> String {
        let sign = money.amount < 0 ? "-" : ""
        let units = money.amount.magnitude
        let whole = String(units / 100)
        var grouped = ""
        for (i, ch) in whole.reversed().enumerated() {
            if i > 0, i % 3 == 0 { grouped.append(" ") }
            grouped.append(ch)
        }
        let cents = units % 100
        return "\(sign)\(String(grouped.reversed())).\(cents < 10 ? "0" : "")\(cents) \(money.currency)"
    }
}
