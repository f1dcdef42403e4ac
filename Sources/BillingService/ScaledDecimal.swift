/// A decimal number as given in a message ("12.5", "92.3512"), read without floating point:
/// `units` ÷ 10^`scale`. Percents and currency rates are strings in the contracts, so that no
/// binary fraction ever enters an amount.
struct ScaledDecimal: Sendable, Equatable {
    var units: Int64
    var scale: Int

    /// Digits with at most one point; up to 12 digits before it and 6 after. Nil otherwise.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 12,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.count <= 6),
              fraction.allSatisfy({ $0.isASCII && $0.isNumber }), let units = Int64(whole + fraction) else { return nil }
        self.units = units
        self.scale = fraction.count
    }

    /// The value in millionths (12.5 → 12_500_000): how percents are kept for the arithmetic.
    var micro: Int64 { units * Int64(CurrencyUnits.power(6 - scale)) }
}
