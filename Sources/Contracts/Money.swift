/// An amount of money in integer minor units (kopecks, cents) of an ISO 4217 currency
/// (schemas/money.schema.json). Integers, never floating point, so sums are exact.
public struct Money: Codable, Sendable, Equatable, Hashable {
    public var amount: Int64
    /// Three upper-case letters, e.g. `RUB`.
    public var currency: String

    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    enum CodingKeys: String, CodingKey {
        case amount, currency
    }
}
