import CIDN2
import Foundation

/// E-mail addresses in the one form they are stored, searched and compared in, so that two
/// spellings of one address are one address: the domain in its ASCII (IDNA 2008 / UTS #46) form,
/// lower-cased (`Пример.РФ` → `xn--e1afmkfd.xn--p1ai`, by GNU libidn2), and the local part in
/// Unicode NFC (a precomposed `é` and `e` + combining acute are one letter). The local part keeps
/// its case: RFC 5321 lets a server tell `Anna` from `anna`, and shops show it as typed.
public enum EmailAddress {
    /// The normalized address, or nil when it has no `@` between a local part and a domain, or
    /// the domain is no valid internationalized domain name.
    public static func normalize(_ raw: String) -> String? {
        if let plain = plainASCII(raw) { return plain }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // The domain follows the last "@": a quoted local part may hold one of its own.
        guard let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = trimmed[..<at], domain = trimmed[trimmed.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty, let ascii = asciiDomain(String(domain)) else { return nil }
        return nfc(String(local)) + "@" + ascii
    }

    /// `normalize` of an address that is printable ASCII throughout (no space or control, so
    /// nothing to trim, NFC as it is, the domain only lower-cased): most are, and Foundation's
    /// trimming and the Unicode checks were most of a send's address work. Nil: take the long way.
    static func plainASCII(_ raw: String) -> String? {
        var at: Int?
        var index = 0
        for byte in raw.utf8 {
            guard byte > 0x20, byte < 0x7F else { return nil }
            if byte == UInt8(ascii: "@") { at = index }
            index += 1
        }
        guard let at, at > 0, at < index - 1 else { return nil }
        var bytes = Array(raw.utf8)
        for i in (at + 1)..<bytes.count where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") {
            bytes[i] += 0x20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The key a service stores and compares an address by: the normalized address with the
    /// local part lower-cased too. No mail provider a shop meets tells `Anna` from `anna`, and
    /// buyers type both, so for uniqueness, search and dedupe they are one address.
    public static func key(_ raw: String) -> String? {
        guard let address = normalize(raw), let at = address.lastIndex(of: "@") else { return nil }
        return nfc(address[..<at].lowercased()) + address[at...]
    }

    /// Unicode NFC. ASCII is its own NFC form, and Foundation's mapping costs several
    /// microseconds on Linux: most addresses an order carries are ASCII.
    static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 }) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// `key`, or the trimmed, lower-cased input when it cannot be normalized: for lookups
    /// (search), where an odd address should still find itself as it was once stored.
    public static func lookupKey(_ raw: String) -> String {
        key(raw) ?? raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// `idn2_to_ascii_8z` with the non-transitional UTS #46 mapping (it also folds case, so
    /// `ПРИМЕР.РФ` and `пример.рф` meet) and the STD3 rules of host names (no spaces or
    /// punctuation in a label); an all-ASCII domain is only lower-cased.
    static func asciiDomain(_ domain: String) -> String? {
        // libidn2 drops some spaces and controls (TR46 maps them away): "exa mple" is no domain.
        guard !domain.unicodeScalars.contains(where: { $0.value < 0x21 || $0.properties.isWhitespace }) else { return nil }
        if domain.utf8.allSatisfy({ $0 < 0x80 }) { return domain.lowercased() }
        var output: UnsafeMutablePointer<CChar>?
        let flags = Int32(IDN2_NFC_INPUT.rawValue | IDN2_NONTRANSITIONAL.rawValue | IDN2_USE_STD3_ASCII_RULES.rawValue)
        guard idn2_to_ascii_8z(domain, &output, flags) == Int32(IDN2_OK.rawValue), let output else { return nil }
        defer { idn2_free(output) }
        return String(cString: output).lowercased()
    }
}
