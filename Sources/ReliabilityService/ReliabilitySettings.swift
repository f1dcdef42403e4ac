import Contracts
import Foundation
import GRDB
import WorkerKit

/// A store's settings of the reliability add-on, as stored in `rel_settings`.
/// The signature is a credential: it is sent to the provider and never answered or logged, and is
/// stored only sealed (`signature_sealed`, AES-GCM under `CRM_SECRET_KEY`); here alone is it
/// sealed and opened.
struct ReliabilitySettings: Sendable, Equatable {
    var storeID: String
    var activate = false
    var partnerCode: String?
    /// Opened only when loaded with the key; `hasSignature` says whether one is stored.
    var signature: String?
    var signatureStored = false
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

    var hasSignature: Bool { signature != nil || signatureStored }

    /// Whether a check could be made: everything it needs is stored (the signature maybe sealed).
    var autoChecksPossible: Bool { partnerCode != nil && hasSignature && baseURL != nil }

    /// Whether cash-on-delivery orders are checked by themselves.
    var autoChecks: Bool { activate && autoCheckCOD && partnerCode != nil && hasSignature && baseURL != nil }

    var missingCredentials: [ErrorDetail] {
        var missing: [ErrorDetail] = []
        if partnerCode == nil { missing.append(ErrorDetail(field: "partner_code", problem: "required")) }
        if !hasSignature { missing.append(ErrorDetail(field: "signature", problem: "required")) }
        if baseURL == nil { missing.append(ErrorDetail(field: "base_url", problem: "required")) }
        return missing
    }

    /// What a sealed signature is bound to: it opens only in its own store's row.
    static func signatureContext(storeID: String) -> String { "rel_settings/\(storeID)/signature" }

    /// Without `secrets` the signature stays sealed: for readers that need only the other settings
    /// (such a value must not be saved: it would drop the signature).
    static func load(_ db: Database, storeID: String, secrets: SecretBox? = nil) throws -> ReliabilitySettings {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM rel_settings WHERE store_id = ?"),
                                         arguments: [storeID])
        else { return ReliabilitySettings(storeID: storeID) }
        let sealed: String? = row["signature_sealed"]
        let signature = try sealed.flatMap { sealed -> String? in
            guard let secrets else { return nil }
            do {
                return try secrets.open(sealed, context: signatureContext(storeID: storeID))
            } catch {
                // Not retried: another key will not appear by waiting. The message names no secret.
                throw ErrorBody(code: .internal, message: "\(error)")
            }
        }
        var settings = ReliabilitySettings(
            storeID: storeID, activate: row["activate"], partnerCode: row["partner_code"], signature: signature,
            baseURL: row["base_url"], timeoutMs: row["timeout_ms"], showEmptyParams: row["show_empty_params"],
            autoCheckCOD: row["auto_check_cod"], recheckAfterHours: row["recheck_after_hours"],
            lastConnection: lastConnection(row), updatedAt: (row["updated_at"] as String?).flatMap(RFC3339.date(from:)))
        settings.signatureStored = sealed != nil
        return settings
    }

    private static func lastConnection(_ row: Row) -> ReliabilityConnectionResult? {
        guard let status = (row["last_connection_status"] as String?).flatMap(ReliabilityConnectionResult.Status.init(rawValue:)),
              let at = (row["last_connection_at"] as String?).flatMap(RFC3339.date(from:))
        else { return nil }
        return ReliabilityConnectionResult(status: status, reason: row["last_connection_reason"], testedAt: at)
    }

    func save(_ db: Database, secrets: SecretBox) throws {
        let sealed = try signature.map { try secrets.seal($0, context: Self.signatureContext(storeID: storeID)) }
        try db.execute(sql: """
            INSERT INTO rel_settings (store_id, activate, partner_code, signature_sealed, base_url, timeout_ms,
                show_empty_params, auto_check_cod, recheck_after_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET activate = excluded.activate, partner_code = excluded.partner_code,
                signature_sealed = excluded.signature_sealed, base_url = excluded.base_url, timeout_ms = excluded.timeout_ms,
                show_empty_params = excluded.show_empty_params, auto_check_cod = excluded.auto_check_cod,
                recheck_after_hours = excluded.recheck_after_hours, updated_at = excluded.updated_at
            """, arguments: [storeID, activate, partnerCode, sealed, baseURL, timeoutMs, showEmptyParams, autoCheckCOD,
                             recheckAfterHours, updatedAt.map(RFC3339.string(from:))])
    }

    var view: ReliabilitySettingsView {
        ReliabilitySettingsView(storeID: storeID, activate: activate, partnerCode: partnerCode, signatureSet: hasSignature,
                                baseURL: baseURL, timeoutMs: timeoutMs, showEmptyParams: showEmptyParams,
                                autoCheckCOD: autoCheckCOD, recheckAfterHours: recheckAfterHours,
                                lastConnection: lastConnection, updatedAt: updatedAt)
    }
}
