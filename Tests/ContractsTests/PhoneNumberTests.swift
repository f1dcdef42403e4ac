import Contracts
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("8 (912) 345-67-89", "+79123456789"),
        ("+7 912 345 67 89", "+79123456789"),
        ("7-912-345-67-89", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("(495) 123-45-67", "+74951234567"),
        ("0049 30 1234567", "+49301234567"),
        ("+49 30 1234 5678", "+493012345678"),
        ("  +1 (212) 555-0100 ", "+12125550100"),
    ])
    func nationalAndInternationalFormsBecomeE164(raw: String, expected: String) {
        #expect(PhoneNumber.normalize(raw) == expected)
    }

    @Test(arguments: ["", "call me", "12-ab", "123", "8 912 345", "+7 912 345 67 89 12 34 56 78", "+0123456789", "912+3456789"])
    func whatCannotBeAPhoneIsRefused(raw: String) {
        #expect(PhoneNumber.normalize(raw) == nil)
    }

    @Test func theStoresDefaultCountryReadsTheNationalForm() {
        #expect(PhoneNumber.normalize("030 12345678", defaultCountry: "DE") == "+493012345678")
        #expect(PhoneNumber.normalize("(212) 555-0100", defaultCountry: "US") == "+12125550100")
        #expect(PhoneNumber.normalize("8 (912) 345-67-89", defaultCountry: "KZ") == "+79123456789")
    }
}
