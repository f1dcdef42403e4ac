import Foundation

/// The header texts of a mail (RFC 5322, RFC 2047, RFC 2231). Whatever comes from data (a subject
/// filled from a template, a sender name, a file name) is either plain printable ASCII or goes out
/// as encoded words, so no value can end a header line and start another.
enum MailHeaders {
    /// Encoded words carry at most this many bytes of text each: 60 base64 characters, so that a
    /// word stays under RFC 2047's 75.
    static let bytesPerWord = 45

    /// An address as it goes between angle brackets: something@domain, no spaces, brackets or controls.
    static func checkAddress(_ address: String, field: String) throws(SMTPError) {
        let forbidden = address.unicodeScalars.contains { $0.value <= 0x20 || $0 == "<" || $0 == ">" || $0.value == 0x7F }
        guard let at = address.lastIndex(of: "@"), at != address.startIndex, address.index(after: at) != address.endIndex,
              !forbidden, address.utf8.count <= 254
        else { throw .invalidMail("\(field) is not a usable e-mail address") }
    }

    /// `id@domain` of printable ASCII without brackets or spaces.
    static func checkMessageID(_ id: String) throws(SMTPError) {
        let fine = id.contains("@") && id.utf8.count <= 250
            && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
        guard fine else { throw .invalidMail("the Message-ID is not id@domain in printable ASCII") }
    }

    /// A Subject: as it is when it is short printable ASCII, else UTF-8 encoded words on folded lines.
    static func unstructured(_ text: String) -> String {
        if isPlain(text), text.utf8.count <= 900 { return text }
        return encodedWords(text).joined(separator: "\r\n ")
    }

    /// A display name: a quoted string when plain ASCII, else encoded words (allowed as a phrase).
    static func displayName(_ name: String) -> String {
        if isPlain(name), name.utf8.count <= 200 {
            let needsEscape = name.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }
            let escaped = !needsEscape ? name
                : name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        return encodedWords(name).joined(separator: "\r\n ")
    }

    /// `Content-Disposition` of an attachment: a plain name as a quoted `filename`; any other as
    /// RFC 2231's `filename*` alone (readers take the first of two, so no plain fallback beside it).
    static func attachmentDisposition(_ filename: String) -> String {
        if isPlain(filename), !filename.contains("\""), !filename.contains("\\") {
            return "Content-Disposition: attachment; filename=\"\(filename)\""
        }
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "attachment"
        return "Content-Disposition: attachment; filename*=utf-8''\(encoded)"
    }

    /// `type/subtype` of token characters, nothing else (no parameters, no spaces).
    static func checkContentType(_ type: String) throws(SMTPError) {
        let token = { (part: Substring) in
            !part.isEmpty && part.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "!#$&-^_.+".utf8.contains(byte)
            }
        }
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, token(parts[0]), token(parts[1]) else {
            throw .invalidMail("the attachment's content type is not type/subtype")
        }
    }

    /// RFC 5322's date in UTC: `Mon, 30 Nov 2026 02:45:00 +0000` (English names whatever the locale).
    /// From `gmtime_r`: a Calendar and its components per mail were ~2 % of a send's CPU.
    static func date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&seconds, &c)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[Int(c.tm_wday)]), \(two(c.tm_mday)) \(months[Int(c.tm_mon)]) \(c.tm_year + 1900) "
            + "\(two(c.tm_hour)):\(two(c.tm_min)):\(two(c.tm_sec)) +0000"
    }

    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !text.contains("=?")
    }

    /// `=?UTF-8?B?…?=` words of whole characters (a letter is never split between two words).
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            // Controls (a line break in a template parameter) become spaces: a header holds one line.
            let control = character.isNewline || character.unicodeScalars.contains { $0.value < 0x20 }
            let count = control ? 1 : character.utf8.count
            if chunk.count + count > bytesPerWord, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk.removeAll(keepingCapacity: true)
            }
            if control { chunk.append(UInt8(ascii: " ")) } else { chunk.append(contentsOf: character.utf8) }
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words
    }
}
