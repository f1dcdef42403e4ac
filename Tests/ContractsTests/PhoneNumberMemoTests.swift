@testable import Contracts
import Testing

/// The memo of libphonenumber's readings answers what libphonenumber answers, and stays bounded.
@Suite struct PhoneNumberMemoTests {
    @Test(arguments: [("8 (912) 345-67-89", "RU"), ("+7 495 123-45-67 доб. 123", "RU"), ("030 1234567", "DE"),
                      ("030 1234567", "RU"), ("+7 912 345 67 89 0", "RU"), ("call me", "US"), ("8 701 123 45 67", "KZ")])
    func aRememberedReadingIsLibphonenumbersOwn(raw: String, country: String) {
        let direct = PhoneNumber.read(raw, defaultCountry: country)
        #expect(PhoneNumber.parse(raw, defaultCountry: country) == direct)
        #expect(PhoneNumber.parse(raw, defaultCountry: country) == direct, "the second answer comes from the memo")
    }

    @Test func theCountryIsPartOfTheKey() {
        let memo = PhoneNumberMemo(generationSize: 8)
        let ru = memo.reading("030 1234567", country: "RU") { PhoneNumber.read("030 1234567", defaultCountry: "RU") }
        let de = memo.reading("030 1234567", country: "DE") { PhoneNumber.read("030 1234567", defaultCountry: "DE") }
        #expect(ru == nil)
        #expect(de?.e164 == "+49301234567")
    }

    @Test func aRepeatedInputIsNotReadAgain() {
        let memo = PhoneNumberMemo(generationSize: 8)
        var reads = 0
        for _ in 0..<3 { _ = memo.reading("+79123456789", country: "RU") { reads += 1; return nil } }
        #expect(reads == 1)
    }

    @Test func itHoldsAtMostTwoGenerations() {
        let memo = PhoneNumberMemo(generationSize: 4)
        for i in 0..<50 { _ = memo.reading("+7912000000\(i)", country: "RU") { nil } }
        #expect(memo.count <= 8)
        var reads = 0
        _ = memo.reading("+7912000000\(49)", country: "RU") { reads += 1; return nil }
        #expect(reads == 0, "the latest stay")
        _ = memo.reading("+7912000000\(0)", country: "RU") { reads += 1; return nil }
        #expect(reads == 1, "the oldest went")
    }

    @Test func longInputIsReadEveryTimeAndNotKept() {
        let memo = PhoneNumberMemo(generationSize: 4)
        let long = "+7 912 345 67 89 " + String(repeating: "x", count: 60)
        var reads = 0
        for _ in 0..<2 { _ = memo.reading(long, country: "RU") { reads += 1; return nil } }
        #expect(reads == 2)
        #expect(memo.count == 0)
    }
}
