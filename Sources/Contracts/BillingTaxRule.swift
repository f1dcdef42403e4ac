import Foundation

/// A client's tax rule with one provider (schemas/billing.tax_rule.schema.json): `percent` of
/// the discounted amount is added, for the product types listed (none: all), from `start`
/// through `end` (both local times of `time_zone`, to the second, `end` included).
public struct BillingTaxRule: Codable, Sendable, Equatable {
    public var ruleID: String
    public var storeID: String
    public var clientID: String
    public var providerID: String
    public var name: String?
    /// A decimal string, e.g. "20" or "8.875".
    public var percent: String
    /// An IANA zone, e.g. `Europe/Moscow`.
    public var timeZone: String
    /// `YYYY-MM-DDTHH:MM:SS`, local to `time_zone`.
    public var start: String
    public var end: String?
    public var productTypes: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(ruleID: String, storeID: String, clientID: String, providerID: String, name: String?, percent: String,
                timeZone: String, start: String, end: String?, productTypes: [String], createdAt: Date, updatedAt: Date) {
        self.ruleID = ruleID
        self.storeID = storeID
        self.clientID = clientID
        self.providerID = providerID
        self.name = name
        self.percent = percent
        self.timeZone = timeZone
        self.start = start
        self.end = end
        self.productTypes = productTypes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case ruleID = "rule_id", storeID = "store_id", clientID = "client_id", providerID = "provider_id", name, percent
        case timeZone = "time_zone", start, end, productTypes = "product_types", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `billing.tax_rule.add` and `billing.tax_rule.update` (which names `rule_id` and replaces it whole).
public struct BillingTaxRuleEdit: Codable, Sendable, Equatable {
    public var storeID: String
    public var ruleID: String?
    public var clientID: String
    public var providerID: String
    public var name: String?
    public var percent: String
    public var timeZone: String
    public var start: String
    public var end: String?
    public var productTypes: [String]?

    public init(storeID: String, ruleID: String? = nil, clientID: String, providerID: String, name: String? = nil,
                percent: String, timeZone: String, start: String, end: String? = nil, productTypes: [String]? = nil) {
        self.storeID = storeID
        self.ruleID = ruleID
        self.clientID = clientID
        self.providerID = providerID
        self.name = name
        self.percent = percent
        self.timeZone = timeZone
        self.start = start
        self.end = end
        self.productTypes = productTypes
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", ruleID = "rule_id", clientID = "client_id", providerID = "provider_id", name, percent
        case timeZone = "time_zone", start, end, productTypes = "product_types"
    }
}

/// `billing.tax_rule.remove`: answered with the rule as it was.
public struct BillingTaxRuleRemove: Codable, Sendable, Equatable {
    public var storeID: String
    public var ruleID: String

    public init(storeID: String, ruleID: String) {
        self.storeID = storeID
        self.ruleID = ruleID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", ruleID = "rule_id" }
}

/// The answer to `billing.tax_rule.list`.
public struct BillingTaxRuleListResult: Codable, Sendable, Equatable {
    public var rules: [BillingTaxRule]

    public init(rules: [BillingTaxRule]) { self.rules = rules }
}
