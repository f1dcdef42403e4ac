/// Phone numbers as the contract stores them: E.164 (`+79123456789`). A number written in national
/// form is read with the store's default country, the way libphonenumber does for the plans we
/// know; anything that cannot be a phone gives nil (the caller answers `validation_failed`).
public enum PhoneNumber {
    /// Calling code and national number length of the countries whose national form we read.
    static let nationalPlans: [String: (code: String, length: Int, trunkPrefix: Character?)] = [
        "RU": ("7", 10, "8"), "KZ": ("7", 10, "8"), "BY": ("375", 9, nil), "UA": ("380", 9, "0"),
        "US": ("1", 10, "1"), "DE": ("49", 10, "0"), "GB": ("44", 10, "0"),
    ]

    public static func normalize(_ raw: String, defaultCountry: String = "RU") -> String? {
        var digits = ""
        var international = false
        // Scalars, not Characters: this runs for every order, and only ASCII digits count.
        for (index, scalar) in raw.trimmingWhitespace().unicodeScalars.enumerated() {
            if ("0"..."9").contains(scalar) { digits.unicodeScalars.append(scalar) }
            else if scalar == "+", index == 0 { international = true }
            else if !" -().\u{00A0}".unicodeScalars.contains(scalar) { return nil }
        }
        if !international, digits.hasPrefix("00") {
            digits.removeFirst(2)
            international = true
        }
        if international { return e164(digits) }
        guard let plan = nationalPlans[defaultCountry.uppercased()] else { return e164(digits) }
        if digits.count == plan.length { return e164(plan.code + digits) }
        if digits.count == plan.length + 1, let trunk = plan.trunkPrefix, digits.first == trunk {
            return e164(plan.code + digits.dropFirst())
        }
        if digits.count == plan.code.count + plan.length, digits.hasPrefix(plan.code) { return e164(digits) }
        return nil
    }

    /// E.164 allows at most 15 digits; fewer than 8 is no subscriber number anywhere.
    private static func e164(_ digits: String) -> String? {
        guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
        return "+" + digits
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
