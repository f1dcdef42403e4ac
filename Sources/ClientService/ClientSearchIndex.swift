import Contracts
import Foundation
import SQLStore

/// The free-text index of clients: names, login, e-mail and phone digits, folded so that case and
/// ё/е do not matter. SQLite: FTS5 table `client_fts` (rowid = the client's rowid). PostgreSQL:
/// table `client_search` (see ClientSearchPostgres), the same words as `tsvector`s.
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
    static func update(_ db: SQLDatabase, clientID: String) throws {
        guard let row = try ClientStore.load(db, clientID: clientID) else { return }
        if db.engine == .postgres {
            try ClientSearchPostgres.write(db, clientID: clientID, storeID: row.storeID,
                                           document: document(row.fields), companies: companies(row.fields))
            return
        }
        guard let rowid = try db.value("SELECT rowid FROM client WHERE id = ?", [clientID], as: Int64.self) else { return }
        try db.execute("DELETE FROM client_fts WHERE rowid = ?", [rowid])
        try db.execute("INSERT INTO client_fts (rowid, text, company) VALUES (?, ?, ?)",
                       [rowid, document(row.fields), companies(row.fields)])
    }

    /// The entry of a client just inserted (a guest from an order: no companies), on the order hot
    /// path: on SQLite with the rowid of that insert, no lookup.
    static func insertNew(_ db: SQLDatabase, clientID: String, storeID: String, fields: ClientFields) throws {
        if let sqlite = db as? SQLiteDatabase {
            try db.execute("INSERT INTO client_fts (rowid, text, company) VALUES (?, ?, '')",
                           [sqlite.grdb.lastInsertedRowID, document(fields)])
        } else {
            try ClientSearchPostgres.write(db, clientID: clientID, storeID: storeID, document: document(fields), companies: "")
        }
    }

    /// The words a query asks for, each of which must start a word of the entry. A query that
    /// reads as a phone matches the phone's digits however it was written (read with the store's
    /// `country`). (Only a query without letters is tried as a phone: libphonenumber reads letters
    /// as keypad digits, and "Анна 8912…" is a search for a name too.) An address is searched in
    /// its stored spelling, so `anna@пример.рф` finds `anna@xn--e1afmkfd.xn--p1ai`.
    static func terms(_ query: String, country: String) -> [String]? {
        if !query.contains(where: \.isLetter), let phone = PhoneNumber.normalize(query, defaultCountry: country) {
            return [phoneTerms(phone).last!]
        }
        if query.contains("@"), let email = EmailAddress.key(query) { return words(email) }
        return words(query)
    }

    /// The same, within company names and tax ids only.
    static func companyTerms(_ query: String) -> [String]? { words(query) }

    /// As FTS5 queries (SQLite): every term a prefix, the company terms within column `company`.
    static func match(_ query: String, country: String) -> String? { terms(query, country: country).map(prefixes) }

    static func companyMatch(_ query: String) -> String? { companyTerms(query).map { "company : (\(prefixes($0)))" } }

    private static func prefixes(_ terms: [String]) -> String { terms.map { "\"\($0)\"*" }.joined(separator: " ") }

    /// The letters-and-digits runs of the folded text: what FTS5's unicode61 tokenizer reads as
    /// words, and what PostgreSQL's `tsvector`s are built from (so both find the same clients).
    static func words(_ text: String) -> [String]? {
        let words = fold(text).split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return words.isEmpty ? nil : words
    }
}
