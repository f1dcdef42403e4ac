import Foundation

/// `store.upsert` (schemas/store.upsert.schema.json), administrators only: fields left out keep
/// their value, or take the default on a new store.
public struct StoreUpsert: Codable, Sendable, Equatable {
    public var storeID: String
    public var name: String?
    public var defaultCountry: String?
    public var currency: String?
    public var timeZone: String?
    public var locale: String?
    public var accountID: String?

    public init(storeID: String, name: String? = nil, defaultCountry: String? = nil, currency: String? = nil,
                timeZone: String? = nil, locale: String? = nil, accountID: String? = nil) {
        self.storeID = storeID
        self.name = name
        self.defaultCountry = defaultCountry
        self.currency = currency
        self.timeZone = timeZone
        self.locale = locale
        self.accountID = accountID
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", name, defaultCountry = "default_country", currency, timeZone = "time_zone", locale
        case accountID = "account_id"
    }
}
