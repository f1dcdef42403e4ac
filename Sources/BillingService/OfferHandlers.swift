import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing.offer.create/accept/reject/list/render` (and `pay`, with the core's accounts): quotes
/// priced with the client's personal terms at creation, moving new → accepted | rejected, accepted
/// → paid | rejected.
enum OfferHandlers {
    static func create(_ db: SQLDatabase, _ command: BillingOfferCreate, _ context: HandlerContext) throws -> BillingOffer {
        if let validUntil = command.validUntil, validUntil <= context.now {
            throw TermValidation.invalid("valid_until", "in_the_past", "the offer would never stand")
        }
        let id = TermValidation.newID("off")
        var priced: [(line: BillingOfferCreate.Line, price: PricedExpense)] = []
        for (index, line) in command.lines.enumerated() {
            let (amount, overflow) = line.unitPrice.amount.multipliedReportingOverflow(by: Int64(line.quantity))
            guard line.unitPrice.amount >= 0, !overflow else {
                throw TermValidation.invalid("lines[\(index)].unit_price.amount", "out_of_range", "must be 0 or more, and times the quantity fit")
            }
            let price = try ExpensePricing.price(
                db, storeID: command.storeID, clientID: command.clientID, providerID: command.providerID,
                accountCurrency: command.currency, amount: Money(amount: amount, currency: line.unitPrice.currency),
                productType: line.productType, date: context.now)
            priced.append((line, price))
        }
        let number = try DocumentCounter.next(db, storeID: command.storeID, kind: .offer)
        let sum = { (part: (PricedExpense) -> Int64) in priced.reduce(Int64(0)) { $0 + part($1.price) } }
        try db.execute("""
            INSERT INTO billing_offer (offer_id, store_id, number, client_id, provider_id, currency, state, title, valid_until,
                subtotal, discount, tax, total, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [id, command.storeID, number, command.clientID, command.providerID, command.currency, command.title,
                  command.validUntil, sum { $0.converted.amount }, sum { $0.discount }, sum { $0.tax }, sum { $0.total.amount },
                  context.sender.userID, context.now, context.now])
        for (index, entry) in priced.enumerated() {
            try db.execute("""
                INSERT INTO billing_offer_line (offer_id, line_no, description, product_type, quantity, unit_price, original_currency,
                    amount, discount, tax, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, index + 1, entry.line.description, entry.line.productType, entry.line.quantity, entry.line.unitPrice.amount,
                      entry.line.unitPrice.currency, entry.price.converted.amount, entry.price.discount, entry.price.tax,
                      entry.price.total.amount])
        }
        return try OfferStore.load(db, storeID: command.storeID, offerID: id)
    }

    static func accept(_ db: SQLDatabase, _ command: BillingOfferAction, _ context: HandlerContext) throws -> BillingOffer {
        let offer = try OfferStore.load(db, storeID: command.storeID, offerID: command.offerID, lock: true)
        if offer.state == .accepted { return offer }  // said twice: the same answer
        try require(offer, in: [.new], to: "accepted")
        if let validUntil = offer.validUntil, validUntil <= context.now {
            throw ErrorBody(code: .conflict, message: "offer \(offer.number) expired at \(RFC3339.string(from: validUntil))")
        }
        return try OfferStore.setState(db, offer, to: .accepted, at: context.now)
    }

    static func reject(_ db: SQLDatabase, _ command: BillingOfferAction, _ context: HandlerContext) throws -> BillingOffer {
        let offer = try OfferStore.load(db, storeID: command.storeID, offerID: command.offerID, lock: true)
        if offer.state == .rejected { return offer }
        try require(offer, in: [.new, .accepted], to: "rejected")
        return try OfferStore.setState(db, offer, to: .rejected, reason: command.reason, at: context.now)
    }

    static func list(_ db: SQLDatabase, _ query: BillingOfferList, _ context: HandlerContext) throws -> BillingOfferListResult {
        var sql = "SELECT * FROM billing_offer WHERE store_id = ?"
        var arguments: SQLArguments = [query.storeID]
        if let client = query.clientID { sql += " AND client_id = ?"; arguments.append(client) }
        if let state = query.state { sql += " AND state = ?"; arguments.append(state.rawValue) }
        sql += " ORDER BY created_at DESC, number DESC LIMIT ?"
        arguments.append(query.limit ?? 100)
        return BillingOfferListResult(offers: try db.rows(sql, arguments).map { try OfferStore.offer(db, $0) })
    }

    static func render(_ db: SQLDatabase, _ query: BillingDocumentRender, _ context: HandlerContext) throws -> BillingDocument {
        guard let offerID = query.offerID else { throw TermValidation.invalid("offer_id", "required", "is required") }
        let offer = try OfferStore.load(db, storeID: query.storeID, offerID: offerID)
        let content = try DocumentSources.offer(db, offer, kind: .offer, number: offer.number, date: offer.createdAt, locale: query.locale)
        return try DocumentRendering.document(content, kind: .offer, offerID: offer.offerID, clientID: offer.clientID,
                                              format: query.format, locale: query.locale)
    }

    static func require(_ offer: BillingOffer, in states: [BillingOffer.State], to verb: String) throws {
        guard states.contains(offer.state) else {
            throw ErrorBody(code: .conflict, message: "offer \(offer.number) is \(offer.state.rawValue): it cannot be \(verb)")
        }
    }
}
