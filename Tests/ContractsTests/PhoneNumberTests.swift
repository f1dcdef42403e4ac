import Contracts
import Testing

/// The cases of issue 9, written out (PhoneNumberTableTests compares many more with Python).
@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("8 (912) 345-67-89", "+79123456789"),
        ("+7 912 345 67 89", "+79123456789"),
        ("7-912-345-67-89", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("(495) 123-45-67", "+74951234567"),
        ("8 10 49 30 1234567", "+49301234567"),
        ("+49 30 1234 5678", "+493012345678"),
        ("  +1 (212) 555-0100 ", "+12125550100"),
    ])
    func nationalAndInternationalFormsBecomeE164(raw: String, expected: String) {
        #expect(PhoneNumber.normalize(raw) == expected)
    }

    /// "0049…" is not read with Russia as the default: Russia's international prefix is 8~10,
    /// and libphonenumber reads 00 there as part of a national number (too long, so invalid).
    @Test(arguments: ["", "call me", "12-ab", "123", "8 912 345", "+7 912 345 67 89 0", "+7 912 345 67 89 12 34 56 78",
                      "+0123456789", "0049 30 1234567", String(repeating: "9", count: 300), "+7 912 345\u{0}67 89"])
    func whatIsNoValidNumberIsRefused(raw: String) {
        #expect(PhoneNumber.normalize(raw) == nil)
        #expect(PhoneNumber.parse(raw) == nil)
    }

    @Test func theStoresDefaultCountryReadsTheNationalForm() {
        #expect(PhoneNumber.normalize("030 1234567", defaultCountry: "DE") == "+49301234567")
        #expect(PhoneNumber.normalize("030 12345678", defaultCountry: "de") == "+493012345678")
        #expect(PhoneNumber.normalize("(212) 555-0100", defaultCountry: "US") == "+12125550100")
        #expect(PhoneNumber.normalize("8 701 123 45 67", defaultCountry: "KZ") == "+77011234567")
        #expect(PhoneNumber.normalize("8 (912) 345-67-89", defaultCountry: "KZ") == "+79123456789")
        #expect(PhoneNumber.normalize("030 1234567", defaultCountry: "ZZ") == nil, "an unknown country reads no national form")
        #expect(PhoneNumber.normalize("+49 30 1234567", defaultCountry: "ZZ") == "+49301234567")
    }

    @Test func anExtensionIsKeptApartFromTheNumber() {
        #expect(PhoneNumber.parse("+7 495 123-45-67 доб. 123") == PhoneNumber.Parsed(e164: "+74951234567", extension: "123"))
        #expect(PhoneNumber.normalize("+7 495 123-45-67 доб. 123") == "+74951234567")
        #expect(PhoneNumber.parse("(650) 253-0000 x123", defaultCountry: "US")?.extension == "123")
        #expect(PhoneNumber.parse("+7 495 123-45-67")?.extension == nil)
    }
}
