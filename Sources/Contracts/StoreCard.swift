import Foundation

/// A store's settings (schemas/store.card.schema.json): the answer of `store.upsert`, `store.get`
/// and `store.list`, and the body of `store.updated`. A store nobody registered yet is answered
/// with `defaults(storeID:)`, so that a shop registered late still works and loses nothing.
public struct StoreCard: Codable, Sendable, Equatable {
    public static let defaultCountry = "RU"
    public static let defaultCurrency = "RUB"
    public static let defaultTimeZone = "Europe/Moscow"
    public static let defaultLocale = "ru"

    public var storeID: String
    public var name: String
    /// ISO 3166-1 alpha-2: phones written in national form are read with it.
    public var defaultCountry: String
    /// ISO 4217.
    public var currency: String
    /// IANA.
    public var timeZone: String
    /// `ru` or `en`.
    public var locale: String
    /// The group of stores of one business; the store itself by default.
    public var accountID: String
    public var registered: Bool
    /// Counts the changes (0: not registered); copies kept by other services apply only newer ones.
    public var version: Int
    public var updatedAt: Date?

    public init(storeID: String, name: String, defaultCountry: String, currency: String, timeZone: String,
                locale: String, accountID: String, registered: Bool, version: Int, updatedAt: Date?) {
        self.storeID = storeID
        self.name = name
        self.defaultCountry = defaultCountry
        self.currency = currency
        self.timeZone = timeZone
        self.locale = locale
        self.accountID = accountID
        self.registered = registered
        self.version = version
        self.updatedAt = updatedAt
    }

    /// The settings of a store not registered yet.
    public static func defaults(storeID: String) -> StoreCard {
        StoreCard(storeID: storeID, name: storeID, defaultCountry: defaultCountry, currency: defaultCurrency,
                  timeZone: defaultTimeZone, locale: defaultLocale, accountID: storeID, registered: false,
                  version: 0, updatedAt: nil)
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", name, defaultCountry = "default_country", currency, timeZone = "time_zone", locale
        case accountID = "account_id", registered, version, updatedAt = "updated_at"
    }

    /// Every key is written, `updated_at` as null when unset: the schema requires them all.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(storeID, forKey: .storeID)
        try c.encode(name, forKey: .name)
        try c.encode(defaultCountry, forKey: .defaultCountry)
        try c.encode(currency, forKey: .currency)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(locale, forKey: .locale)
        try c.encode(accountID, forKey: .accountID)
        try c.encode(registered, forKey: .registered)
        try c.encode(version, forKey: .version)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
