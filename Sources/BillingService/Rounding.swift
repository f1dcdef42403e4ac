/// The one rounding rule of billing: half-even ("banker's rounding"). Every amount that is not a
/// whole number of minor units (a percent discount, a tax, a converted currency) is rounded here
/// and only here, once, from the exact fraction: never from a rounded intermediate.
///
/// Half-even rounds to the nearest integer and, exactly half-way, to the even one:
/// 2.5 → 2, 3.5 → 4, −2.5 → −2, −3.5 → −4. Unlike half-up it has no bias over many amounts, so
/// sums of rounded taxes drift neither up nor down; and it is symmetric, so a reversal (−x)
/// rounds to exactly minus the original.
public enum Rounding {
    /// `value × numerator ÷ denominator`, rounded half-even. The product is exact (128-bit), so
    /// no intermediate overflows; the result must fit an `Int64` (amounts here are far smaller).
    /// `denominator` must not be 0; its sign counts like the others'.
    public static func halfEven(_ value: Int64, times numerator: Int64, over denominator: Int64) -> Int64 {
        let exact = halfEven(Int128(value) * Int128(numerator), over: Int128(denominator))
        guard let result = Int64(exactly: exact) else {
            preconditionFailure("Rounding.halfEven: \(value) × \(numerator) ÷ \(denominator) does not fit 64 bits")
        }
        return result
    }

    /// `dividend ÷ divisor`, rounded half-even, for fractions whose terms need more than 64 bits
    /// (a currency rate with its scale and the currencies' minor-unit exponents).
    static func halfEven(_ dividend: Int128, over divisor: Int128) -> Int128 {
        precondition(divisor != 0, "Rounding.halfEven: division by zero")
        // Work with a positive divisor; the quotient's sign is then the dividend's.
        let (p, d) = divisor < 0 ? (-dividend, -divisor) : (dividend, divisor)
        let quotient = p / d            // truncated toward zero
        let remainder = (p % d).magnitude  // |p| mod d
        let twice = remainder * 2
        let away: Int128 = p < 0 ? -1 : 1
        if twice > d.magnitude { return quotient + away }
        if twice == d.magnitude, quotient % 2 != 0 { return quotient + away }
        return quotient
    }
}
