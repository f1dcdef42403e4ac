import Contracts
import Foundation

/// What a store's settings must be, beyond their schema's shape: a country, currency and time
/// zone that exist (Foundation's ISO and IANA lists), and a locale we have templates for.
enum StoreValidation {
    /// ISO 3166-1 alpha-2 codes only: Foundation's list also holds UN M.49 areas ("150").
    private static let regions = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 })
    private static let currencies = Set(Locale.Currency.isoCurrencies.map(\.identifier))
    static let locales: Set<String> = ["ru", "en"]

    /// Every problem of `store`, each naming its field; throws `validation_failed` when any.
    static func check(_ store: StoreCard) throws {
        var problems: [ErrorDetail] = []
        if !isCode(store.defaultCountry, length: 2) || !regions.contains(store.defaultCountry) {
            problems.append(ErrorDetail(field: "default_country", problem: "invalid_value"))
        }
        if !isCode(store.currency, length: 3) || !currencies.contains(store.currency) {
            problems.append(ErrorDetail(field: "currency", problem: "invalid_value"))
        }
        if TimeZone(identifier: store.timeZone) == nil {
            problems.append(ErrorDetail(field: "time_zone", problem: "invalid_value"))
        }
        if !locales.contains(store.locale) {
            problems.append(ErrorDetail(field: "locale", problem: "not_in_enum"))
        }
        if store.name.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(ErrorDetail(field: "name", problem: "required"))
        }
        guard problems.isEmpty else { throw ErrorBody.validationFailed(problems) }
    }

    /// Upper-case ASCII letters only: the lists above would also match some lower-case spellings.
    private static func isCode(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { (65...90).contains($0) }
    }
}
