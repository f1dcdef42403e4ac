import CPhoneNumber

/// Phone numbers as the contract stores them: E.164 (`+79123456789`), read by Google's
/// libphonenumber (Debian's libphonenumber-dev, behind the C shim in CPhoneNumber). A number
/// written in national form is read with the store's default country; one that libphonenumber
/// cannot read, or reads but finds no such number in its country's plan, gives nil (the caller
/// answers `validation_failed`).
public enum PhoneNumber {
    /// A number as read: the E.164 form, and the extension kept apart ("доб. 123", "ext. 5").
    public struct Parsed: Sendable, Hashable {
        public let e164: String
        /// The extension's digits, nil when the number has none.
        public let `extension`: String?

        public init(e164: String, extension: String? = nil) {
            self.e164 = e164
            self.extension = `extension`
        }
    }

    /// Longer input is no phone as typed by a person (the order schema allows 64 characters);
    /// the cap also keeps libphonenumber's regular expressions off long junk.
    static let maxInputLength = 250

    /// The E.164 form of a valid number, or nil. The extension, if any, is dropped: it does not
    /// change which line (and so which client) the number is.
    public static func normalize(_ raw: String, defaultCountry: String = "RU") -> String? {
        parse(raw, defaultCountry: defaultCountry)?.e164
    }

    /// The number and its extension, or nil when it is not a valid number.
    /// `defaultCountry` is an ISO 3166 alpha-2 code; it matters only for national forms.
    public static func parse(_ raw: String, defaultCountry: String = "RU") -> Parsed? {
        memo.reading(raw, country: defaultCountry) { read(raw, defaultCountry: defaultCountry) }
    }

    /// True when the number starts (after white space) with its plus sign: libphonenumber then
    /// takes the country from the number itself, so the default country cannot change the
    /// reading, and a caller need not look the store's country up.
    public static func isWrittenInternationally(_ raw: String) -> Bool {
        guard let first = raw.unicodeScalars.first(where: { !$0.properties.isWhitespace }) else { return false }
        return first == "+" || first == "\u{FF0B}"  // the full-width plus counts too
    }

    /// Up to 2 × 16,384 recent readings, a few MB at most (see PhoneNumberMemo).
    static let memo = PhoneNumberMemo(generationSize: 16_384)

    /// libphonenumber's reading, every time.
    static func read(_ raw: String, defaultCountry: String) -> Parsed? {
        // A NUL would end the C string early and hide what follows it.
        guard raw.utf8.count <= maxInputLength, !raw.utf8.contains(0) else { return nil }
        var out = crm_phone_parsed()
        let status = raw.withCString { text in
            defaultCountry.uppercased().withCString { region in crm_phone_parse(text, region, &out) }
        }
        guard status == CRM_PHONE_VALID else { return nil }
        let e164 = withUnsafeBytes(of: &out.e164) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        let digits = withUnsafeBytes(of: &out.extension) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        return Parsed(e164: e164, extension: digits.isEmpty ? nil : digits)
    }
}
