import Contracts
import Foundation
import GRDB

/// The free-text index of clients (FTS5 table `client_fts`, rowid = the client's rowid): names,
/// login, e-mail and phone digits, folded so that case and ё/е do not matter.
enum ClientSearchIndex {
    static func fold(_ text: String) -> String {
        let lowered = text.lowercased()
        guard lowered.unicodeScalars.contains("ё") else { return lowered }
        return String(String.UnicodeScalarView(lowered.unicodeScalars.map { $0 == "ё" ? "е" : $0 }))
    }

    /// The digits a phone is found by: the full E.164 number and its last ten digits (the
    /// national number of Russia and most plans people type without the country code).
    static func phoneTerms(_ e164: String) -> [String] {
        let digits = String(e164.filter(\.isNumber))
        return digits.count > 10 ? [digits, String(digits.suffix(10))] : [digits]
    }

    static func document(_ fields: ClientFields) -> String {
        var parts = ([fields.firstName, fields.lastName, fields.contactPerson, fields.login, fields.email, fields.externalID]
            + (fields.companies ?? []).map(\.name))
            .compactMap { $0 }.map(fold)
        for phone in [fields.phone, fields.landlinePhone].compactMap({ $0 }) + (fields.extraPhones ?? []) {
            parts += phoneTerms(phone)
        }
        return parts.joined(separator: " ")
    }

    /// Company names and tax ids, in their own column so that `company` searches only them.
    static func companies(_ fields: ClientFields) -> String {
        (fields.companies ?? []).flatMap { [$0.name, $0.inn] }.compactMap { $0 }.map(fold).joined(separator: " ")
    }

    /// Writes the client's entry again; called whenever a client row is written.
    static func update(_ db: Database, clientID: String) throws {
        guard let rowid = try Int64.fetchOne(db, sql: "SELECT rowid FROM client WHERE id = ?", arguments: [clientID]),
              let row = try ClientStore.load(db, clientID: clientID) else { return }
        try db.execute(sql: "DELETE FROM client_fts WHERE rowid = ?", arguments: [rowid])
        try db.execute(sql: "INSERT INTO client_fts (rowid, text, company) VALUES (?, ?, ?)",
                       arguments: [rowid, document(row.fields), companies(row.fields)])
    }

    /// An FTS5 query: every word must start a word of the entry. A query that reads as a phone
    /// matches the phone's digits however it was written (read with the store's `country`).
    /// (Only a query without letters is tried as a phone: libphonenumber reads letters as
    /// keypad digits, and "Анна 8912…" is a search for a name too.) An address is searched in
    /// its stored spelling, so `anna@пример.рф` finds `anna@xn--e1afmkfd.xn--p1ai`.
    static func match(_ query: String, country: String) -> String? {
        if !query.contains(where: \.isLetter), let phone = PhoneNumber.normalize(query, defaultCountry: country) {
            return "\"\(phoneTerms(phone).last!)\"*"
        }
        if query.contains("@"), let email = EmailAddress.key(query) { return words(email) }
        return words(query)
    }

    /// The same, within company names and tax ids only.
    static func companyMatch(_ query: String) -> String? {
        words(query).map { "company : (\($0))" }
    }

    private static func words(_ query: String) -> String? {
        let words = fold(query).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " ")
    }
}
