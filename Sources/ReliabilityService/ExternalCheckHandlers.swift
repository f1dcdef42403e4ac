import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `reliability.check` and `reliability.connection.test`. Neither calls the provider: each records
/// the call as an effect in its transaction, and the request is answered when the effect's result
/// (`…completed`, see `ExternalCheckResults`) is handled. Results are stored per (store, phone)
/// and reused until the store's recheck age passes; `reliability.checked` tells the others.
struct ExternalCheckHandlers: Sendable {
    let secrets: SecretBox
    let outbound: OutboundPolicy
    /// Calls of a queued check (no one waits: the automatic check of cash-on-delivery orders);
    /// an operator's check is tried once and answered at once.
    static let queuedCheckAttempts = 4

    /// nil when the answer comes later, from the effect's result.
    func check(_ db: SQLDatabase, _ command: ReliabilityCheck, _ context: HandlerContext) throws -> ReliabilityCheckResult? {
        let (storeID, phone) = try buyer(db, command)
        let settings = try ReliabilitySettings.load(db, storeID: storeID)
        guard settings.activate, settings.autoChecksPossible else {
            throw ErrorBody(code: .unavailable, message: "the external check is not activated for store \(storeID)")
        }
        if command.force != true, let stored = try StoredCheck.load(db, storeID: storeID, phone: phone),
           context.now.timeIntervalSince(stored.checkedAt) < Double(settings.recheckAfterHours) * 3600 {
            return ReliabilityCheckResult(status: stored.status, checkedAt: stored.checkedAt, cached: true)
        }
        try context.record(effect: BlacklistPerformer.checkKind,
                           payload: ReliabilityCheckCall(storeID: storeID, phone: phone, clientID: command.clientID,
                                                         trigger: command.trigger ?? .operator_),
                           maxAttempts: context.expectsReply ? 1 : Self.queuedCheckAttempts, answerWhenDone: true)
        return nil
    }

    func testConnection(_ db: SQLDatabase, _ command: ReliabilityConnectionTest, _ context: HandlerContext) throws -> ReliabilityConnectionResult? {
        var settings = try ReliabilitySettings.load(db, storeID: command.storeID)
        // The stored signature goes only to the stored address; another one must come with its own.
        if let url = command.baseURL, url != settings.baseURL, command.signature == nil {
            throw ErrorBody.validationFailed([ErrorDetail(field: "signature", problem: "required_with_base_url")],
                                             message: "testing another base_url needs the signature in the same command")
        }
        if let v = command.partnerCode { settings.partnerCode = v }
        if command.signature != nil { settings.signatureStored = true }
        if let v = command.baseURL { settings.baseURL = v }
        let missing = settings.missingCredentials
        guard missing.isEmpty, let baseURL = settings.baseURL else { throw ErrorBody.validationFailed(missing) }
        // An address we would never call is answered at once, without a byte sent anywhere.
        do {
            _ = try OutboundAddress.checkForm(baseURL, policy: outbound)
        } catch {
            let result = ReliabilityConnectionResult(status: .noConnection, reason: "the address is refused: \(error)", testedAt: context.now)
            try ExternalCheckResults.storeConnection(db, storeID: command.storeID, result)
            return result
        }
        try context.record(effect: BlacklistPerformer.connectionTestKind,
                           payload: ReliabilityConnectionCall(storeID: command.storeID, partnerCode: command.partnerCode,
                                                              baseURL: command.baseURL),
                           secret: command.signature, secrets: secrets, answerWhenDone: true)
        return nil
    }

    /// The store and the E.164 phone to check: the client's last known phone, or the one given.
    private func buyer(_ db: SQLDatabase, _ command: ReliabilityCheck) throws -> (String, String) {
        if let clientID = command.clientID {
            guard let row = try db.row("""
                SELECT store_id, phone FROM rel_order WHERE client_id = ? AND store_id = ? AND phone IS NOT NULL
                ORDER BY placed_at DESC LIMIT 1
                """, [clientID, command.storeID]) else {
                throw ErrorBody(code: .notFound, message: "no phone is known for client \(clientID)")
            }
            return (row["store_id"], row["phone"])
        }
        let storeID = command.storeID
        guard let raw = command.phone else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "client_id", problem: "required")])
        }
        guard let phone = PhoneNumber.normalize(raw, defaultCountry: try StoreCopy.country(db, storeID: storeID)) else {
            throw ErrorBody.validationFailed([ErrorDetail(field: "phone", problem: "invalid_format")])
        }
        return (storeID, phone)
    }
}

/// The last answer of the external service for a phone of a store.
struct StoredCheck {
    var storeID: String
    var phone: String
    var status: ExternalStatus
    var checkedAt: Date

    static func load(_ db: SQLDatabase, storeID: String, phone: String) throws -> StoredCheck? {
        guard let row = try db.row("SELECT status, checked_at FROM rel_check WHERE store_id = ? AND phone = ?", [storeID, phone]),
              let status = ExternalStatus(rawValue: row["status"]), let at = RFC3339.date(from: row["checked_at"])
        else { return nil }
        return StoredCheck(storeID: storeID, phone: phone, status: status, checkedAt: at)
    }

    /// Kept when it is not older than the stored one: replicas may store two answers out of order.
    func save(_ db: SQLDatabase) throws {
        try db.execute("""
            INSERT INTO rel_check (store_id, phone, status, checked_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id, phone) DO UPDATE SET status = excluded.status, checked_at = excluded.checked_at
            WHERE rel_check.checked_at <= excluded.checked_at
            """, [storeID, phone, status.rawValue, RFC3339.string(from: checkedAt)])
    }
}
