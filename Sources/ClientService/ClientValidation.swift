import Contracts
import Foundation
import SQLStore

/// The checks a card passes on its way in: phones read into E.164 with the store's country, the
/// e-mail in its one stored spelling (`EmailAddress.key`), and the keys unique among the store's live clients.
enum ClientValidation {
    /// Normalizes what was given, phones with the store's `country`; empty strings stay empty
    /// (they clear a field on update).
    static func normalize(_ fields: inout ClientFields, country: String) throws {
        var problems: [ErrorDetail] = []
        func phone(_ raw: String?, _ name: String) -> String? {
            guard let raw, !raw.isEmpty else { return raw }
            guard let normalized = PhoneNumber.normalize(raw, defaultCountry: country) else {
                problems.append(ErrorDetail(field: name, problem: "invalid_format"))
                return raw
            }
            return normalized
        }
        fields.phone = phone(fields.phone, "phone")
        fields.landlinePhone = phone(fields.landlinePhone, "landline_phone")
        fields.extraPhones = fields.extraPhones.map { list in
            list.enumerated().map { phone($0.element, "extra_phones[\($0.offset)]") ?? $0.element }
        }
        if let raw = fields.email, !raw.isEmpty {
            // IDNA form of the domain, NFC local part, case folded: one address, one spelling.
            if let key = EmailAddress.key(raw) { fields.email = key }
            else { problems.append(ErrorDetail(field: "email", problem: "invalid_format")) }
        }
        if fields.firstName?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            problems.append(ErrorDetail(field: "first_name", problem: "required"))
        }
        guard problems.isEmpty else { throw ErrorBody.validationFailed(problems) }
    }

    /// E-mail, phone and the shop's user id may belong to one live client of a store only (order
    /// attribution finds a buyer by them; on PostgreSQL unique indexes hold this across replicas).
    static func checkUnique(_ db: SQLDatabase, storeID: String, fields: ClientFields, except clientID: String?) throws {
        var problems: [ErrorDetail] = []
        for (key, value) in [(Client.Key.email, fields.email), (.phone, fields.phone), (.externalID, fields.externalID)] {
            guard let value, !value.isEmpty,
                  let holder = try ClientStore.holder(db, storeID: storeID, key: key, value: value, except: clientID)
            else { continue }
            problems.append(ErrorDetail(field: key.rawValue, problem: "already_used", extra: ["client_id": .string(holder)]))
        }
        guard problems.isEmpty else { throw ErrorBody.validationFailed(problems) }
    }
}
