import Contracts
import Foundation
import SQLStore
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
    /// Whether the store's row existed when these were loaded (`save` inserts it otherwise).
    var rowExists = false

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
    /// (such a value must not be saved: it would drop the signature). `forUpdate`: the row is
    /// about to be saved, so a replica saving the same store waits for this transaction (on
    /// PostgreSQL; SQLite has one writer) instead of writing back what it read before.
    static func load(_ db: SQLDatabase, storeID: String, secrets: SecretBox? = nil,
                     forUpdate: Bool = false) throws -> ReliabilitySettings {
        guard let row = try db.row("SELECT * FROM rel_settings WHERE store_id = ?" + (forUpdate ? db.forUpdate : ""), [storeID])
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
        settings.rowExists = true
        return settings
    }

    private static func lastConnection(_ row: SQLRow) -> ReliabilityConnectionResult? {
        guard let status = (row["last_connection_status"] as String?).flatMap(ReliabilityConnectionResult.Status.init(rawValue:)),
              let at = (row["last_connection_at"] as String?).flatMap(RFC3339.date(from:))
        else { return nil }
        return ReliabilityConnectionResult(status: status, reason: row["last_connection_reason"], testedAt: at)
    }

    /// A row that was there when loaded (and locked then) is updated. A new one is inserted
    /// without ON CONFLICT: when another replica inserted the store's row meanwhile, PostgreSQL
    /// refuses this one (23505, transient) and the batch runs again, loading that row, rather
    /// than overwriting it with settings built from the defaults.
    func save(_ db: SQLDatabase, secrets: SecretBox) throws {
        let sealed = try signature.map { try secrets.seal($0, context: Self.signatureContext(storeID: storeID)) }
        let insert = """
            INSERT INTO rel_settings (store_id, activate, partner_code, signature_sealed, base_url, timeout_ms,
                show_empty_params, auto_check_cod, recheck_after_hours, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let update = """
             ON CONFLICT (store_id) DO UPDATE SET activate = excluded.activate, partner_code = excluded.partner_code,
                signature_sealed = excluded.signature_sealed, base_url = excluded.base_url, timeout_ms = excluded.timeout_ms,
                show_empty_params = excluded.show_empty_params, auto_check_cod = excluded.auto_check_cod,
                recheck_after_hours = excluded.recheck_after_hours, updated_at = excluded.updated_at
            """
        try db.execute(rowExists ? insert + update : insert,
                       [storeID, activate, partnerCode, sealed, baseURL, timeoutMs, showEmptyParams, autoCheckCOD,
                        recheckAfterHours, updatedAt.map(RFC3339.string(from:))])
    }

    var view: ReliabilitySettingsView {
        ReliabilitySettingsView(storeID: storeID, activate: activate, partnerCode: partnerCode, signatureSet: hasSignature,
                                baseURL: baseURL, timeoutMs: timeoutMs, showEmptyParams: showEmptyParams,
                                autoCheckCOD: autoCheckCOD, recheckAfterHours: recheckAfterHours,
                                lastConnection: lastConnection, updatedAt: updatedAt)
    }
}
