import Contracts
import Foundation
import SQLStore
import WorkerKit

/// A store's settings (`dedupe_settings`), every field set: the defaults where the store never
/// chose. Stored as the JSON of `DedupeSettingsFields`; the automatic merge's switch is also a
/// column of its own, for the timer's query.
struct DedupeSettings: Sendable, Equatable {
    var storeID: String
    var fields: DedupeSettingsFields
    var updatedAt: Date?

    static var defaults: DedupeSettingsFields {
        var f = DedupeSettingsFields()
        f.matchByPhone = true
        f.matchByEmail = true
        f.excludedPhones = []
        f.excludedEmails = []
        f.excludedINNs = []
        f.maxPhones = nil
        f.priority = "first"
        f.noteOnSurvivor = false
        f.mergeContacts = true
        f.mergeSameINN = true
        f.crossStore = false
        f.autoMerge = false
        f.autoMergeIntervalMinutes = 30
        f.instantCheck = false
        f.phoneFormat = "e164"
        return f
    }

    static func load(_ db: SQLDatabase, storeID: String, forUpdate: Bool = false) throws -> DedupeSettings {
        guard let row = try db.row("SELECT settings, updated_at FROM dedupe_settings WHERE store_id = ?" + (forUpdate ? db.forUpdate : ""),
                                   [storeID])
        else { return DedupeSettings(storeID: storeID, fields: defaults, updatedAt: nil) }
        let stored = try JSONCoding.decoder.decode(DedupeSettingsFields.self, from: Data((row["settings"] as String).utf8))
        var fields = defaults
        fields.apply(stored)
        return DedupeSettings(storeID: storeID, fields: fields, updatedAt: row["updated_at"])
    }

    func save(_ db: SQLDatabase) throws {
        let text = String(decoding: try JSONCoding.encoder.encode(fields), as: UTF8.self)
        try db.execute("""
            INSERT INTO dedupe_settings (store_id, settings, auto_merge, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (store_id) DO UPDATE SET settings = excluded.settings, auto_merge = excluded.auto_merge,
                updated_at = excluded.updated_at
            """, [storeID, text, fields.autoMerge ?? false, updatedAt ?? Date()])
    }

    var view: DedupeSettingsView { DedupeSettingsView(storeID: storeID, fields: fields, updatedAt: updatedAt) }

    /// The settings as the engine applies them.
    var rules: DedupeRules {
        var rules = DedupeRules()
        rules.matchByPhone = fields.matchByPhone ?? true
        rules.matchByEmail = fields.matchByEmail ?? true
        rules.excludedPhones = Set(fields.excludedPhones ?? [])
        rules.excludedEmails = Set(fields.excludedEmails ?? [])
        rules.excludedINNs = Set(fields.excludedINNs ?? [])
        rules.maxPhones = fields.maxPhones
        rules.priority = fields.priority == "last" ? .last : .first
        rules.mergeContacts = fields.mergeContacts ?? true
        rules.sameINN = fields.mergeSameINN ?? true
        rules.crossStore = fields.crossStore ?? false
        return rules
    }
}

extension DedupeSettingsFields {
    /// Takes every field `change` sets (and `max_phones` null: no limit).
    mutating func apply(_ change: DedupeSettingsFields) {
        if let v = change.matchByPhone { matchByPhone = v }
        if let v = change.matchByEmail { matchByEmail = v }
        if let v = change.excludedPhones { excludedPhones = v }
        if let v = change.excludedEmails { excludedEmails = v }
        if let v = change.excludedINNs { excludedINNs = v }
        if change.clearsMaxPhones { maxPhones = nil } else if let v = change.maxPhones { maxPhones = v }
        if let v = change.priority { priority = v }
        if let v = change.noteOnSurvivor { noteOnSurvivor = v }
        if let v = change.mergeContacts { mergeContacts = v }
        if let v = change.mergeSameINN { mergeSameINN = v }
        if let v = change.crossStore { crossStore = v }
        if let v = change.autoMerge { autoMerge = v }
        if let v = change.autoMergeIntervalMinutes { autoMergeIntervalMinutes = v }
        if let v = change.instantCheck { instantCheck = v }
        if let v = change.phoneFormat { phoneFormat = v }
        clearsMaxPhones = false
    }
}
