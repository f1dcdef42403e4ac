import Foundation

/// `reliability.settings.update` (schemas/reliability.settings.update.schema.json): fields left
/// out keep their value.
public struct ReliabilitySettingsUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var activate: Bool?
    public var partnerCode: String?
    public var signature: String?
    public var baseURL: String?
    public var timeoutMs: Int?
    public var showEmptyParams: Bool?
    public var autoCheckCOD: Bool?
    public var recheckAfterHours: Int?

    public init(storeID: String, activate: Bool? = nil, partnerCode: String? = nil, signature: String? = nil,
                baseURL: String? = nil, timeoutMs: Int? = nil, showEmptyParams: Bool? = nil, autoCheckCOD: Bool? = nil,
                recheckAfterHours: Int? = nil) {
        self.storeID = storeID
        self.activate = activate
        self.partnerCode = partnerCode
        self.signature = signature
        self.baseURL = baseURL
        self.timeoutMs = timeoutMs
        self.showEmptyParams = showEmptyParams
        self.autoCheckCOD = autoCheckCOD
        self.recheckAfterHours = recheckAfterHours
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", activate, signature
        case partnerCode = "partner_code", baseURL = "base_url", timeoutMs = "timeout_ms"
        case showEmptyParams = "show_empty_params", autoCheckCOD = "auto_check_cod", recheckAfterHours = "recheck_after_hours"
    }
}

/// `reliability.settings.get` (schemas/reliability.settings.get.schema.json).
public struct ReliabilitySettingsGet: Codable, Sendable, Equatable {
    public var storeID: String

    public init(storeID: String) { self.storeID = storeID }

    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}

/// A store's settings as answered (schemas/reliability.settings.schema.json); the signature is a
/// secret and only `signatureSet` tells whether there is one.
public struct ReliabilitySettingsView: Codable, Sendable, Equatable {
    public var storeID: String
    public var activate: Bool
    public var partnerCode: String?
    public var signatureSet: Bool
    public var baseURL: String?
    public var timeoutMs: Int
    public var showEmptyParams: Bool
    public var autoCheckCOD: Bool
    public var recheckAfterHours: Int
    public var lastConnection: ReliabilityConnectionResult?
    public var updatedAt: Date?

    public init(storeID: String, activate: Bool, partnerCode: String?, signatureSet: Bool, baseURL: String?,
                timeoutMs: Int, showEmptyParams: Bool, autoCheckCOD: Bool, recheckAfterHours: Int,
                lastConnection: ReliabilityConnectionResult?, updatedAt: Date?) {
        self.storeID = storeID
        self.activate = activate
        self.partnerCode = partnerCode
        self.signatureSet = signatureSet
        self.baseURL = baseURL
        self.timeoutMs = timeoutMs
        self.showEmptyParams = showEmptyParams
        self.autoCheckCOD = autoCheckCOD
        self.recheckAfterHours = recheckAfterHours
        self.lastConnection = lastConnection
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", activate
        case partnerCode = "partner_code", signatureSet = "signature_set", baseURL = "base_url", timeoutMs = "timeout_ms"
        case showEmptyParams = "show_empty_params", autoCheckCOD = "auto_check_cod", recheckAfterHours = "recheck_after_hours"
        case lastConnection = "last_connection", updatedAt = "updated_at"
    }

    /// Every key is written, unset ones as null: the schema requires them all.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
        try c.encode(activate, forKey: .activate)
        try c.encode(partnerCode, forKey: .partnerCode)
        try c.encode(signatureSet, forKey: .signatureSet)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(timeoutMs, forKey: .timeoutMs)
        try c.encode(showEmptyParams, forKey: .showEmptyParams)
        try c.encode(autoCheckCOD, forKey: .autoCheckCOD)
        try c.encode(recheckAfterHours, forKey: .recheckAfterHours)
        try c.encode(lastConnection, forKey: .lastConnection)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
