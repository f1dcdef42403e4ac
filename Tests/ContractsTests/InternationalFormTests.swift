@testable import Contracts
import Testing

/// A number written with its "+" is read the same whatever the default country: callers skip the
/// store's country for it (OrderAttribution). Held here against libphonenumber itself.
@Suite struct InternationalFormTests {
    @Test(arguments: ["+7 912 345 67 89", "  +49 30 1234567", "+1 (212) 555-0100", "+7 912 345 67 89 0", "+0123456789",
                      "+44 20 7946 0958 ext. 12", "+7 495 123-45-67 доб. 123", "\u{FF0B}7 912 345 67 89", "+8 10 49 30 1234567"])
    func readsTheSameWithEveryDefaultCountry(raw: String) {
        #expect(PhoneNumber.isWrittenInternationally(raw))
        let readings = ["RU", "DE", "US", "KZ", "GB", "ZZ"].map { PhoneNumber.read(raw, defaultCountry: $0) }
        #expect(Set(readings).count == 1, "\(readings)")
    }

    @Test(arguments: ["8 912 345 67 89", "9123456789", "(495) 123-45-67", "", "  ", "call +7 912 345 67 89", "00 49 30 1234567"])
    func aNationalFormIsNot(raw: String) {
        #expect(!PhoneNumber.isWrittenInternationally(raw))
    }
}
