/// How many decimal places each currency's minor unit has (ISO 4217): 2 for most (kopecks,
/// cents), 0 for the yen or the won, 3 for the dinars of the Gulf. A converted amount moves
/// between minor units of different sizes, so the exponents enter the rate's fraction.
enum CurrencyUnits {
    static let exponents: [String: Int] = [
        "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
        "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
        "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    ]

    static func exponent(of currency: String) -> Int { exponents[currency] ?? 2 }

    /// 10^n as a 128-bit integer (n ≤ 30 here).
    static func power(_ n: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<n { result *= 10 }
        return result
    }

    /// `amount` minor units printed with its decimals: 123456 RUB → "1234.56", −5 → "-0.05".
    static func plain(_ amount: Int64, currency: String) -> String {
        let exponent = exponent(of: currency)
        let digits = String(amount.magnitude)
        guard exponent > 0 else { return (amount < 0 ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, exponent + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -exponent)
        return (amount < 0 ? "-" : "") + padded[..<split] + "." + padded[split...]
    }
}
