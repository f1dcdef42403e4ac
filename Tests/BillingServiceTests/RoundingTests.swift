@testable import BillingService
import Testing

/// Half-even, the one rounding rule: exact halves go to the even neighbour, on both sides of 0,
/// and the arithmetic never overflows on the way.
@Suite struct RoundingTests {
    @Test(arguments: [
        // value, numerator, denominator, expected
        (25, 1, 10, 2), (35, 1, 10, 4), (15, 1, 10, 2), (5, 1, 10, 0), (45, 1, 10, 4),
        (-25, 1, 10, -2), (-35, 1, 10, -4), (-15, 1, 10, -2), (-5, 1, 10, 0),
        (26, 1, 10, 3), (24, 1, 10, 2), (-26, 1, 10, -3), (-24, 1, 10, -2),
        (1, 1, 3, 0), (2, 1, 3, 1), (-2, 1, 3, -1),
        (25, -1, 10, -2), (25, 1, -10, -2), (-25, -1, -10, -2), (35, -1, 10, -4),
        (1000, 125, 1000, 125), (999, 125, 1000, 125), (1003, 125, 1000, 125), (1004, 125, 1000, 126),
        (0, 7, 9, 0), (12_345, 100, 100, 12_345),
    ] as [(Int64, Int64, Int64, Int64)])
    func halfEven(value: Int64, numerator: Int64, denominator: Int64, expected: Int64) {
        #expect(Rounding.halfEven(value, times: numerator, over: denominator) == expected)
    }

    @Test func intermediateProductsNeedNoMoreThanTheResult() {
        // 9.2e18 × 1e6 overflows 64 bits; the quotient does not.
        #expect(Rounding.halfEven(9_200_000_000_000_000_000, times: 1_000_000, over: 2_000_000) == 4_600_000_000_000_000_000)
        #expect(Rounding.halfEven(Int64.min / 2, times: 3, over: 3) == Int64.min / 2)
    }

    @Test func negationIsSymmetric() {
        for value in Int64(-2000)...2000 {
            #expect(Rounding.halfEven(-value, times: 7, over: 40) == -Rounding.halfEven(value, times: 7, over: 40))
        }
    }

    /// Rounding each of many halves half-even drifts neither up nor down: half-up would add 0.5 each time.
    @Test func halvesDoNotDrift() {
        let total = (0..<1000).reduce(Int64(0)) { sum, n in sum + Rounding.halfEven(Int64(2 * n + 1), times: 1, over: 2) }
        var exactDoubled: Int64 = 0
        for n in 0..<1000 { exactDoubled += Int64(2 * n + 1) }
        #expect(total == exactDoubled / 2)
    }

    @Test func decimalsAreReadWithoutFloatingPoint() {
        #expect(ScaledDecimal("12.5")?.units == 125 && ScaledDecimal("12.5")?.scale == 1)
        #expect(ScaledDecimal("92.3512")?.units == 923_512)
        #expect(ScaledDecimal("20")?.micro == 20_000_000)
        #expect(ScaledDecimal("0.000001")?.micro == 1)
        for bad in ["", ".5", "5.", "1e3", "-1", "1.2.3", "1,5", "0.0000001", "1234567890123"] {
            #expect(ScaledDecimal(bad) == nil, "\(bad)")
        }
    }

    @Test func moneyPrintsItsMinorUnitsExactly() {
        #expect(CurrencyUnits.plain(1_547_400, currency: "RUB") == "15474.00")
        #expect(CurrencyUnits.plain(-5, currency: "RUB") == "-0.05")
        #expect(CurrencyUnits.plain(1500, currency: "JPY") == "1500")
        #expect(CurrencyUnits.plain(1, currency: "KWD") == "0.001")
        #expect(DocumentWords(locale: .ru).money(154_740_012, "RUB") == "1 547 400,12 ₽")
        #expect(DocumentWords(locale: .en).money(154_740_012, "RUB") == "1,547,400.12 RUB")
        #expect(DocumentWords(locale: .ru).money(-99, "USD") == "-0,99 $")
    }
}
