import Contracts

/// The forms keys are compared in. Cards hold E.164 phones and normalized e-mails already
/// (client-service writes them so); these read what else arrives (a tie's key, an exclusion an
/// operator typed, the benchmark's raw forms) into the same form, cheaply when it already is.
public enum DedupeKeys {
    /// E.164, or nil for no valid number. `+` and digits only is taken as it is (no parser call).
    public static func phone(_ raw: String, country: String = "RU") -> String? {
        let utf8 = raw.utf8
        if utf8.first == UInt8(ascii: "+"), utf8.count >= 8, utf8.count <= 16,
           utf8.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return raw
        }
        return PhoneNumber.normalize(raw, defaultCountry: country)
    }

    /// The e-mail key (`EmailAddress.key`: the domain in ASCII, all lower-cased).
    public static func email(_ raw: String) -> String? {
        if raw.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x20 }), raw.utf8.contains(UInt8(ascii: "@")) { return raw.lowercased() }
        return EmailAddress.key(raw)
    }

    /// An INN's digits (10 for a company, 12 for a person); nil when it has none.
    public static func inn(_ raw: String) -> String? {
        let digits = String(raw.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }.map(Character.init))
        return digits.isEmpty ? nil : digits
    }

    /// An address line as compared for suggestions: lower case, letters and digits, single spaces.
    public static func addressLine(_ parts: [String?]) -> String? {
        let text = parts.compactMap { $0 }.joined(separator: " ").lowercased()
        let words = text.split { !$0.isLetter && !$0.isNumber }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
