import Contracts
import SQLStore
import WorkerKit

/// `reliability.settings.get` and `reliability.settings.update`. The signature goes in, never out:
/// answers carry only `signature_set`.
struct ReliabilitySettingsHandlers: Sendable {
    let secrets: SecretBox
    let outbound: OutboundPolicy

    func get(_ db: SQLDatabase, _ query: ReliabilitySettingsGet, _ context: HandlerContext) throws -> ReliabilitySettingsView {
        try ReliabilitySettings.load(db, storeID: query.storeID, secrets: secrets).view
    }

    func update(_ db: SQLDatabase, _ change: ReliabilitySettingsUpdate, _ context: HandlerContext) throws -> ReliabilitySettingsView {
        // Locked: two replicas changing one store's settings take turns, neither undoing the other.
        var settings = try ReliabilitySettings.load(db, storeID: change.storeID, secrets: secrets, forUpdate: true)
        // The signature is sent to base_url: whoever moves the address must show they know it,
        // or the stored secret would go to an address of their choosing.
        if let url = change.baseURL, url != settings.baseURL, change.signature == nil {
            throw ErrorBody.validationFailed([ErrorDetail(field: "signature", problem: "required_with_base_url")],
                                             message: "changing base_url needs the signature in the same command")
        }
        if let v = change.activate { settings.activate = v }
        if let v = change.partnerCode { settings.partnerCode = v }
        if let v = change.signature { settings.signature = v }
        if let v = change.baseURL {
            // What can be told without DNS is told now; the effect runner checks the rest when it calls.
            do {
                _ = try OutboundAddress.checkForm(v, policy: outbound)
            } catch {
                throw ErrorBody.validationFailed([ErrorDetail(field: "base_url", problem: error.problem)],
                                                 message: "base_url: \(error)")
            }
            settings.baseURL = v
        }
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
        try settings.save(db, secrets: secrets)
        return settings.view
    }
}
