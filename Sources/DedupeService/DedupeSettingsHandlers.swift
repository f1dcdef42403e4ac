import Contracts
import SQLStore
import WorkerKit

/// `dedupe.settings.get` and `dedupe.settings.update`. Exclusions are kept in the form they are
/// compared in: a phone as typed becomes E.164 (read with the store's country), an e-mail its key;
/// a value that is neither is refused, naming its place in the list.
enum DedupeSettingsHandlers {
    static func get(_ db: SQLDatabase, _ query: DedupeSettingsGet, _ context: HandlerContext) throws -> DedupeSettingsView {
        try DedupeSettings.load(db, storeID: query.storeID).view
    }

    static func update(_ db: SQLDatabase, _ change: DedupeSettingsUpdate, _ context: HandlerContext) throws -> DedupeSettingsView {
        var settings = try DedupeSettings.load(db, storeID: change.storeID, forUpdate: true)
        var fields = change.fields
        let country = try StoreCopy.country(db, storeID: change.storeID)
        var problems: [ErrorDetail] = []
        if let phones = fields.excludedPhones {
            fields.excludedPhones = normalized(phones, field: "excluded_phones", problems: &problems) {
                DedupeKeys.phone($0, country: country)
            }
        }
        if let emails = fields.excludedEmails {
            fields.excludedEmails = normalized(emails, field: "excluded_emails", problems: &problems, DedupeKeys.email)
        }
        if let inns = fields.excludedINNs {
            fields.excludedINNs = normalized(inns, field: "excluded_inns", problems: &problems, DedupeKeys.inn)
        }
        guard problems.isEmpty else {
            throw ErrorBody.validationFailed(problems, message: "an excluded value is not a phone, e-mail or INN")
        }
        settings.fields.apply(fields)
        settings.updatedAt = context.now
        try settings.save(db)
        return settings.view
    }

    private static func normalized(_ values: [String], field: String, problems: inout [ErrorDetail],
                                   _ normalize: (String) -> String?) -> [String] {
        var out: [String] = []
        for (i, value) in values.enumerated() {
            guard let key = normalize(value) else {
                problems.append(ErrorDetail(field: "\(field)[\(i)]", problem: "invalid_value"))
                continue
            }
            if !out.contains(key) { out.append(key) }
        }
        return out
    }
}
