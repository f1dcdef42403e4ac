/// Masks personal data before it reaches a log line: enough to recognise, not enough to reuse.
public enum Redact {
    /// `+79123456789` → `+7912***89`
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 6 else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(5)) + "***" + String(chars.suffix(2))
    }

    /// `ivan.petrov@example.com` → `i***@example.com`
    public static func email(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at > email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + email[at...]
    }
}
