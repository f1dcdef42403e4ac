import Foundation

/// `notification.settings.get` (schemas/notification.settings.get.schema.json).
public struct NotificationSettingsGet: Codable, Sendable, Equatable {
    public var storeID: String
    public init(storeID: String) { self.storeID = storeID }
    enum CodingKeys: String, CodingKey { case storeID = "store_id" }
}

/// `notification.settings.update` (schemas/notification.settings.update.schema.json): fields left
/// out keep their value. The SMTP password and the SMS token are secrets: stored sealed, never
/// answered. `auto_sends` switches automatic sends by name (`welcome`, `reliability_no_trust`).
public struct NotificationSettingsUpdate: Codable, Sendable, Equatable {
    public var storeID: String
    public var senderAddress: String?
    public var senderName: String?
    public var operatorAddress: String?
    public var smtpURL: String?
    public var smtpLogin: String?
    public var smtpPassword: String?
    public var smsURL: String?
    public var smsToken: String?
    public var smsSender: String?
    public var locale: String?
    public var maxAttempts: Int?
    public var recipientHourlyLimit: Int?
    public var autoSends: [String: Bool]?

    public init(storeID: String, senderAddress: String? = nil, senderName: String? = nil, operatorAddress: String? = nil,
                smtpURL: String? = nil, smtpLogin: String? = nil, smtpPassword: String? = nil, smsURL: String? = nil,
                smsToken: String? = nil, smsSender: String? = nil, locale: String? = nil, maxAttempts: Int? = nil,
                recipientHourlyLimit: Int? = nil, autoSends: [String: Bool]? = nil) {
        self.storeID = storeID
        self.senderAddress = senderAddress
        self.senderName = senderName
        self.operatorAddress = operatorAddress
        self.smtpURL = smtpURL
        self.smtpLogin = smtpLogin
        self.smtpPassword = smtpPassword
        self.smsURL = smsURL
        self.smsToken = smsToken
        self.smsSender = smsSender
        self.locale = locale
        self.maxAttempts = maxAttempts
        self.recipientHourlyLimit = recipientHourlyLimit
        self.autoSends = autoSends
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", senderAddress = "sender_address", senderName = "sender_name"
        case operatorAddress = "operator_address", smtpURL = "smtp_url", smtpLogin = "smtp_login"
        case smtpPassword = "smtp_password", smsURL = "sms_url", smsToken = "sms_token", smsSender = "sms_sender", locale
        case maxAttempts = "max_attempts", recipientHourlyLimit = "recipient_hourly_limit", autoSends = "auto_sends"
    }
}

/// A store's notification settings as answered (schemas/notification.settings.schema.json): the
/// secrets only as `smtp_password_set` / `sms_token_set`; `auto_sends` with every known send.
public struct NotificationSettingsView: Codable, Sendable, Equatable {
    public var storeID: String
    public var senderAddress: String?
    public var senderName: String?
    public var operatorAddress: String?
    public var smtpURL: String?
    public var smtpLogin: String?
    public var smtpPasswordSet: Bool
    public var smsURL: String?
    public var smsTokenSet: Bool
    public var smsSender: String?
    public var locale: String
    public var maxAttempts: Int
    public var recipientHourlyLimit: Int
    public var autoSends: [String: Bool]
    public var updatedAt: Date?

    public init(storeID: String, senderAddress: String?, senderName: String?, operatorAddress: String?, smtpURL: String?,
                smtpLogin: String?, smtpPasswordSet: Bool, smsURL: String?, smsTokenSet: Bool, smsSender: String?,
                locale: String, maxAttempts: Int, recipientHourlyLimit: Int, autoSends: [String: Bool], updatedAt: Date?) {
        self.storeID = storeID
        self.senderAddress = senderAddress
        self.senderName = senderName
        self.operatorAddress = operatorAddress
        self.smtpURL = smtpURL
        self.smtpLogin = smtpLogin
        self.smtpPasswordSet = smtpPasswordSet
        self.smsURL = smsURL
        self.smsTokenSet = smsTokenSet
        self.smsSender = smsSender
        self.locale = locale
        self.maxAttempts = maxAttempts
        self.recipientHourlyLimit = recipientHourlyLimit
        self.autoSends = autoSends
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", senderAddress = "sender_address", senderName = "sender_name"
        case operatorAddress = "operator_address", smtpURL = "smtp_url", smtpLogin = "smtp_login"
        case smtpPasswordSet = "smtp_password_set", smsURL = "sms_url", smsTokenSet = "sms_token_set", smsSender = "sms_sender"
        case locale, maxAttempts = "max_attempts", recipientHourlyLimit = "recipient_hourly_limit", autoSends = "auto_sends"
        case updatedAt = "updated_at"
    }

    // Every key written, nulls included: the schema requires them all.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
        try c.encode(senderAddress, forKey: .senderAddress)
        try c.encode(senderName, forKey: .senderName)
        try c.encode(operatorAddress, forKey: .operatorAddress)
        try c.encode(smtpURL, forKey: .smtpURL)
        try c.encode(smtpLogin, forKey: .smtpLogin)
        try c.encode(smtpPasswordSet, forKey: .smtpPasswordSet)
        try c.encode(smsURL, forKey: .smsURL)
        try c.encode(smsTokenSet, forKey: .smsTokenSet)
        try c.encode(smsSender, forKey: .smsSender)
        try c.encode(locale, forKey: .locale)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(recipientHourlyLimit, forKey: .recipientHourlyLimit)
        try c.encode(autoSends, forKey: .autoSends)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
