import Contracts
import Foundation
import GRDB
import WorkerKit

/// `reliability.check` and `reliability.connection.test`. Results are stored per (store, phone)
/// and reused until the store's recheck age passes; `reliability.checked` tells the others.
struct ExternalCheckHandlers: Sendable {
    let checker: ExternalChecker
    let secrets: SecretBox

    func check(_ db: Database, _ command: ReliabilityCheck, _ context: HandlerContext) throws -> ReliabilityCheckResult {
        let (storeID, phone) = try buyer(db, command)
        let settings = try ReliabilitySettings.load(db, storeID: storeID, secrets: secrets)
        guard settings.activate, let credentials = settings.credentials else {
            throw ErrorBody(code: .unavailable, message: "the external check is not activated for store \(storeID)")
        }
        if command.force != true, let stored = try StoredCheck.load(db, storeID: storeID, phone: phone),
           context.now.timeIntervalSince(stored.checkedAt) < Double(settings.recheckAfterHours) * 3600 {
            return ReliabilityCheckResult(status: stored.status, checkedAt: stored.checkedAt, cached: true)
        }
        switch checker.check(credentials, phone: phone) {
        case .status(let status):
            try StoredCheck(storeID: storeID, phone: phone, status: status, checkedAt: context.now).save(db)
            try context.publish(event: ReliabilityChecked(
                storeID: storeID, clientID: command.clientID, phone: phone, status: status, checkedAt: context.now,
                trigger: command.trigger ?? .operator_), type: "reliability.checked")
            return ReliabilityCheckResult(status: status, checkedAt: context.now, cached: false)
        case .unauthorized(let code):
            throw ErrorBody(code: .unauthorized, message: "the service refused the partner code or signature (HTTP \(code))")
        case .fault(let reason):
            // Someone waits: tell them now. A queued check (no reply asked) is retried with backoff.
            if context.expectsReply { throw ErrorBody(code: .unavailable, message: reason) }
            throw TransientFailure(reason)
        }
    }

    func testConnection(_ db: Database, _ command: ReliabilityConnectionTest, _ context: HandlerContext) throws -> ReliabilityConnectionResult {
        var settings = try ReliabilitySettings.load(db, storeID: command.storeID, secrets: secrets)
        // The stored signature goes only to the stored address; another one must come with its own.
        if let url = command.baseURL, url != settings.baseURL, command.signature == nil {
            throw ErrorBody.validationFailed([ErrorDetail(field: "signature", problem: "required_with_base_url")],
                                             message: "testing another base_url needs the signature in the same command")
        }
        if let v = command.partnerCode { settings.partnerCode = v }
        if let v = command.signature { settings.signature = v }
        if let v = command.baseURL { settings.baseURL = v }
        guard let credentials = settings.credentials else { throw ErrorBody.validationFailed(settings.missingCredentials) }
        let result: ReliabilityConnectionResult
        switch checker.ping(credentials) {
        case .status: result = ReliabilityConnectionResult(status: .connected, reason: nil, testedAt: context.now)
        case .unauthorized(let code):
            result = ReliabilityConnectionResult(status: .noConnection, reason: "the service refused the partner code or signature (HTTP \(code))", testedAt: context.now)
        case .fault(let reason): result = ReliabilityConnectionResult(status: .noConnection, reason: reason, testedAt: context.now)
        }
        try db.execute(sql: """
            INSERT INTO rel_settings (store_id, updated_at, last_connection_status, last_connection_reason, last_connection_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id) DO UPDATE SET last_connection_status = excluded.last_connection_status,
            last_connection_reason = excluded.last_connection_reason, last_connection_at = excluded.last_connection_at
            """, arguments: [command.storeID, RFC3339.string(from: context.now), result.status.rawValue, result.reason,
                             RFC3339.string(from: context.now)])
        return result
    }

    /// The store and the E.164 phone to check: the client's last known phone, or the one given.
    private func buyer(_ db: Database, _ command: ReliabilityCheck) throws -> (String, String) {
        if let clientID = command.clientID {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT store_id, phone FROM rel_order WHERE client_id = ? AND store_id = ? AND phone IS NOT NULL
                ORDER BY placed_at DESC LIMIT 1
                """, arguments: [clientID, command.storeID]) else {
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

    static func load(_ db: Database, storeID: String, phone: String) throws -> StoredCheck? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT status, checked_at FROM rel_check WHERE store_id = ? AND phone = ?"),
                                         arguments: [storeID, phone]),
              let status = ExternalStatus(rawValue: row["status"]), let at = RFC3339.date(from: row["checked_at"])
        else { return nil }
        return StoredCheck(storeID: storeID, phone: phone, status: status, checkedAt: at)
    }

    func save(_ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO rel_check (store_id, phone, status, checked_at) VALUES (?, ?, ?, ?)",
                       arguments: [storeID, phone, status.rawValue, RFC3339.string(from: checkedAt)])
    }
}
