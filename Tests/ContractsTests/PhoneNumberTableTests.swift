import Contracts
import Testing

/// Numbers as shops receive them, from 17 countries, each read with the store's default region.
/// The expected answer is not written here: Python's `phonenumbers` gives it at run time, so the
/// table checks our libphonenumber binding against the reference port, case by case.
@Suite struct PhoneNumberTableTests {
    static let cases: [(raw: String, region: String)] = [
        // Russia: trunk prefix 8, the international prefix 8~10, extensions in Russian.
        ("8 (912) 345-67-89", "RU"), ("+7 912 345 67 89", "RU"), ("7-912-345-67-89", "RU"), ("9123456789", "RU"),
        ("(495) 123-45-67", "RU"), ("8 10 49 30 1234567", "RU"), ("810 44 20 7946 0018", "RU"),
        ("+7 912 345 67 89 0", "RU"), ("+7 495 123-45-67 доб. 123", "RU"), ("8-800-555-35-35", "RU"),
        ("+7(812)3097654", "RU"), ("8 (3832) 12-34-56", "RU"), ("89123456789", "RU"), ("+7 912 345-67-89 ext. 42", "RU"),
        ("8 912 345", "RU"), ("8(495)1234567", "RU"), ("+7 9123456789", "RU"), ("0049 30 1234567", "RU"),
        ("+7 701 123 45 67", "RU"), ("8 10 998 90 123 45 67", "RU"), ("+7\u{00A0}912\u{00A0}345-67-89", "RU"),
        ("８ ９１２ ３４５ ６７ ８９", "RU"), ("тел.: 8 912 345-67-89", "RU"),
        // Kazakhstan shares +7 with Russia.
        ("8 701 123 45 67", "KZ"), ("8 (727) 250-12-34", "KZ"), ("+7 717 255 55 55", "KZ"), ("87012345678", "KZ"),
        // Germany: trunk 0, international 00, the "(0)" written after the country code.
        ("030 1234567", "DE"), ("+49 30 1234567", "DE"), ("0049 (0)30 1234567", "DE"), ("0151 23456789", "DE"),
        ("+49 89 12345678", "DE"), ("030/12345678", "DE"),
        // United Kingdom.
        ("020 7946 0018", "GB"), ("+44 20 7946 0018", "GB"), ("07911 123456", "GB"), ("+44 (0)7911 123456", "GB"),
        ("00 44 161 496 0000", "GB"),
        // United States: international prefix 011, "x" extensions.
        ("(212) 555-0100", "US"), ("+1 (212) 555-0100", "US"), ("1-212-555-0100", "US"), ("212.555.0100", "US"),
        ("(650) 253-0000 x123", "US"), ("+1 650 253 0000", "US"), ("011 49 30 1234567", "US"),
        // Belarus and Ukraine.
        ("8 029 123-45-67", "BY"), ("+375 29 123 45 67", "BY"), ("8 017 234-56-78", "BY"),
        ("067 123 4567", "UA"), ("+380 44 123 4567", "UA"), ("0 44 123 45 67", "UA"),
        // France, Italy (the leading 0 is part of the number), Spain, Poland, Turkey.
        ("01 23 45 67 89", "FR"), ("+33 6 12 34 56 78", "FR"), ("06 12 34 56 78", "FR"),
        ("06 1234 5678", "IT"), ("+39 347 123 4567", "IT"), ("347 123 4567", "IT"),
        ("612 34 56 78", "ES"), ("+34 91 123 45 67", "ES"),
        ("+48 22 123 45 67", "PL"), ("512 345 678", "PL"),
        ("0532 123 45 67", "TR"), ("+90 212 123 45 67", "TR"),
        // China, India, Brazil, Uzbekistan, Armenia.
        ("+86 138 0013 8000", "CN"), ("010 1234 5678", "CN"), ("098765 43210", "IN"), ("+91 98765 43210", "IN"),
        ("(11) 91234-5678", "BR"), ("+55 21 2345-6789", "BR"), ("+998 90 123 45 67", "UZ"), ("+374 10 123456", "AM"),
        // Not numbers at all.
        ("call me", "RU"), ("12-ab", "RU"), ("", "RU"), ("+0123456789", "RU"),
    ]

    @Test func theTableIsWideEnough() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.region)).count >= 8)
    }

    @Test func everyNumberReadsAsPythonPhonenumbersReadsIt() throws {
        let expected = try PythonPhoneNumbers.read(Self.cases)
        var valid = 0
        for (index, (raw, region)) in Self.cases.enumerated() {
            let parsed = PhoneNumber.parse(raw, defaultCountry: region)
            let reference = expected[index]
            #expect(parsed?.e164 == reference.e164, "\(raw) [\(region)]")
            #expect(parsed?.extension == reference.extension, "\(raw) [\(region)]: extension")
            #expect(PhoneNumber.normalize(raw, defaultCountry: region) == reference.e164, "\(raw) [\(region)]")
            if reference.e164 != nil { valid += 1 }
        }
        // Mostly valid numbers: a table of refusals would compare nothing but nils.
        #expect(valid >= 55, "only \(valid) valid numbers in the table")
    }
}
