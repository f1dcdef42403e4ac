import Foundation

/// `dedupe.settings.get` (schemas/dedupe.settings.get.schema.json).
public struct DedupeSettingsGet: Codable, Sendable, Equatable {
    public var storeID: String
    public init(storeID: String) { self.storeID = storeID }
    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}

/// The settings of duplicate matching in one store, every one optional: the fields of
/// `dedupe.settings.update` (left out: unchanged) and, all set, of the answer `dedupe.settings`.
/// `max_phones` null in an update removes the limit (`clearsMaxPhones`); absent in the answer, there is none.
public struct DedupeSettingsFields: Codable, Sendable, Equatable {
    public var matchByPhone: Bool?
    public var matchByEmail: Bool?
    public var excludedPhones: [String]?
    public var excludedEmails: [String]?
    public var excludedINNs: [String]?
    public var maxPhones: Int?
    public var clearsMaxPhones = false
    /// `first` or `last`: the client created first or last survives; its name and e-mail win.
    public var priority: String?
    public var noteOnSurvivor: Bool?
    public var mergeContacts: Bool?
    public var mergeSameINN: Bool?
    public var crossStore: Bool?
    public var autoMerge: Bool?
    public var autoMergeIntervalMinutes: Int?
    public var instantCheck: Bool?
    /// `e164`, `international` or `national`: how the report and crmctl show phones.
    public var phoneFormat: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case matchByPhone = "match_by_phone", matchByEmail = "match_by_email", excludedPhones = "excluded_phones"
        case excludedEmails = "excluded_emails", excludedINNs = "excluded_inns", maxPhones = "max_phones", priority
        case noteOnSurvivor = "note_on_survivor", mergeContacts = "merge_contacts", mergeSameINN = "merge_same_inn"
        case crossStore = "cross_store", autoMerge = "auto_merge", autoMergeIntervalMinutes = "auto_merge_interval_minutes"
        case instantCheck = "instant_check", phoneFormat = "phone_format"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        matchByPhone = try c.decodeIfPresent(Bool.self, forKey: .matchByPhone)
        matchByEmail = try c.decodeIfPresent(Bool.self, forKey: .matchByEmail)
        excludedPhones = try c.decodeIfPresent([String].self, forKey: .excludedPhones)
        excludedEmails = try c.decodeIfPresent([String].self, forKey: .excludedEmails)
        excludedINNs = try c.decodeIfPresent([String].self, forKey: .excludedINNs)
        if c.contains(.maxPhones), try c.decodeNil(forKey: .maxPhones) { clearsMaxPhones = true }
        else { maxPhones = try c.decodeIfPresent(Int.self, forKey: .maxPhones) }
        priority = try c.decodeIfPresent(String.self, forKey: .priority)
        noteOnSurvivor = try c.decodeIfPresent(Bool.self, forKey: .noteOnSurvivor)
        mergeContacts = try c.decodeIfPresent(Bool.self, forKey: .mergeContacts)
        mergeSameINN = try c.decodeIfPresent(Bool.self, forKey: .mergeSameINN)
        crossStore = try c.decodeIfPresent(Bool.self, forKey: .crossStore)
        autoMerge = try c.decodeIfPresent(Bool.self, forKey: .autoMerge)
        autoMergeIntervalMinutes = try c.decodeIfPresent(Int.self, forKey: .autoMergeIntervalMinutes)
        instantCheck = try c.decodeIfPresent(Bool.self, forKey: .instantCheck)
        phoneFormat = try c.decodeIfPresent(String.self, forKey: .phoneFormat)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(matchByPhone, forKey: .matchByPhone)
        try c.encodeIfPresent(matchByEmail, forKey: .matchByEmail)
        try c.encodeIfPresent(excludedPhones, forKey: .excludedPhones)
        try c.encodeIfPresent(excludedEmails, forKey: .excludedEmails)
        try c.encodeIfPresent(excludedINNs, forKey: .excludedINNs)
        if clearsMaxPhones { try c.encodeNil(forKey: .maxPhones) } else { try c.encodeIfPresent(maxPhones, forKey: .maxPhones) }
        try c.encodeIfPresent(priority, forKey: .priority)
        try c.encodeIfPresent(noteOnSurvivor, forKey: .noteOnSurvivor)
        try c.encodeIfPresent(mergeContacts, forKey: .mergeContacts)
        try c.encodeIfPresent(mergeSameINN, forKey: .mergeSameINN)
        try c.encodeIfPresent(crossStore, forKey: .crossStore)
        try c.encodeIfPresent(autoMerge, forKey: .autoMerge)
        try c.encodeIfPresent(autoMergeIntervalMinutes, forKey: .autoMergeIntervalMinutes)
        try c.encodeIfPresent(instantCheck, forKey: .instantCheck)
        try c.encodeIfPresent(phoneFormat, forKey: .phoneFormat)
    }
}

/// `dedupe.settings.update` (schemas/dedupe.settings.update.schema.json): the store and the fields
/// to change; answered with `dedupe.settings`.
public struct DedupeSettingsUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var fields: DedupeSettingsFields

    public init(storeID: String, fields: DedupeSettingsFields) {
        self.storeID = storeID
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }

    public init(from decoder: Decoder) throws {
        storeID = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .storeID)
        fields = try DedupeSettingsFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try fields.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
    }
}

/// `dedupe.settings` (schemas/dedupe.settings.schema.json): a store's settings, every field set
/// (`max_phones` absent: no limit).
public struct DedupeSettingsView: Codable, Sendable, Equatable {
    public var storeID: String
    public var fields: DedupeSettingsFields
    public var updatedAt: Date?

    public init(storeID: String, fields: DedupeSettingsFields, updatedAt: Date?) {
        self.storeID = storeID
        self.fields = fields
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", updatedAt = "updated_at" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        storeID = try c.decode(String.self, forKey: .storeID)
        updatedAt = try c.decodeIfPresent(Date.self, forKey: .updatedAt)
        fields = try DedupeSettingsFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        try fields.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
        try c.encodeIfPresent(updatedAt, forKey: .updatedAt)
    }
}
