import Contracts
import Foundation
import GRDB
import WorkerKit

/// A store's settings of the reliability add-on, and the two commands that read and change them.
/// The signature is a credential: it is stored, sent to the provider, and never answered or logged.
struct ReliabilitySettings: Sendable, Equatable {
    var storeID: String
    var activate = false
    var partnerCode: String?
    var signature: String?
    var baseURL: String?
    var timeoutMs = 3000
    var showEmptyParams = false
    var autoCheckCOD = false
    var recheckAfterHours = 720
    var lastConnection: ReliabilityConnectionResult?
    var updatedAt: Date?

    /// What the provider needs to answer, when all of it is set.
    var credentials: BlacklistAPI.Credentials? {
        guard let partnerCode, let signature, let baseURL else { return nil }
        return BlacklistAPI.Credentials(baseURL: baseURL, partnerCode: partnerCode, signature: signature,
                                        timeout: .milliseconds(timeoutMs))
    }

    /// Whether cash-on-delivery orders are checked by themselves.
    var autoChecks: Bool { activate && autoCheckCOD && credentials != nil }

    var missingCredentials: [ErrorDetail] {
        var missing: [ErrorDetail] = []
        if partnerCode == nil { missing.append(ErrorDetail(field: "partner_code", problem: "required")) }
        if signature == nil { missing.append(ErrorDetail(field: "signature", problem: "required")) }
        if baseURL == nil { missing.append(ErrorDetail(field: "base_url", problem: "required")) }
        return missing
    }

    static func load(_ db: Database, storeID: String) throws -> ReliabilitySettings {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM rel_settings WHERE store_id = ?"),
                                         arguments: [storeID])
        else { return ReliabilitySettings(storeID: storeID) }
        return ReliabilitySettings(
            storeID: storeID, activate: row["activate"], partnerCode: row["partner_code"], signature: row["signature"],
            baseURL: row["base_url"], timeoutMs: row["timeout_ms"], showEmptyParams: row["show_empty_params"],
            autoCheckCOD: row["auto_check_cod"], recheckAfterHours: row["recheck_after_hours"],
            lastConnection: lastConnection(row), updatedAt: (row["updated_at"] as String?).flatMap(RFC3339.date(from:)))
    }

    private static func lastConnection(_ row: Row) -> ReliabilityConnectionResult? {
        guard let status = (row["last_connection_status"] as String?).flatMap(ReliabilityConnectionResult.Status.init(rawValue:)),
              let at = (row["last_connection_at"] as String?).flatMap(RFC3339.date(from:))
        else { return nil }
        return ReliabilityConnectionResult(status: status, reason: row["last_connection_reason"], testedAt: at)
    }

    func save(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO rel_settings (store_id, activate, partner_code, signature, base_url, timeout_ms,
                show_empty_params, auto_check_cod, recheck_after_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET activate = excluded.activate, partner_code = excluded.partner_code,
                signature = excluded.signature, base_url = excluded.base_url, timeout_ms = excluded.timeout_ms,
                show_empty_params = excluded.show_empty_params, auto_check_cod = excluded.auto_check_cod,
                recheck_after_hours = excluded.recheck_after_hours, updated_at = excluded.updated_at
            """, arguments: [storeID, activate, partnerCode, signature, baseURL, timeoutMs, showEmptyParams, autoCheckCOD,
                             recheckAfterHours, updatedAt.map(RFC3339.string(from:))])
    }

    var view: ReliabilitySettingsView {
        ReliabilitySettingsView(storeID: storeID, activate: activate, partnerCode: partnerCode, signatureSet: signature != nil,
                                baseURL: baseURL, timeoutMs: timeoutMs, showEmptyParams: showEmptyParams,
                                autoCheckCOD: autoCheckCOD, recheckAfterHours: recheckAfterHours,
                                lastConnection: lastConnection, updatedAt: updatedAt)
    }

    static func get(_ db: Database, _ query: ReliabilitySettingsGet, _ context: HandlerContext) throws -> ReliabilitySettingsView {
        try load(db, storeID: query.storeID).view
    }

    static func update(_ db: Database, _ change: ReliabilitySettingsUpdate, _ context: HandlerContext) throws -> ReliabilitySettingsView {
        var settings = try load(db, storeID: change.storeID)
        if let v = change.activate { settings.activate = v }
        if let v = change.partnerCode { settings.partnerCode = v }
        if let v = change.signature { settings.signature = v }
        if let v = change.baseURL { settings.baseURL = v }
        if let v = change.timeoutMs { settings.timeoutMs = v }
        if let v = change.showEmptyParams { settings.showEmptyParams = v }
        if let v = change.autoCheckCOD { settings.autoCheckCOD = v }
        if let v = change.recheckAfterHours { settings.recheckAfterHours = v }
        if settings.activate {
            // The provider identifies the shop by both: an active service without them cannot check anyone.
            let missing = settings.missingCredentials
            guard missing.isEmpty else {
                throw ErrorBody.validationFailed(missing, message: "activating the check needs partner_code, signature and base_url")
            }
        }
        settings.updatedAt = context.now
        try settings.save(db)
        return settings.view
    }
}
