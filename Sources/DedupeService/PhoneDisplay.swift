/// Phones as people read them (`phone_format`): E.164 as stored, international (`+7 916 123-45-67`)
/// or national (`8 (916) 123-45-67`). The grouping is Russia's (+7, the shops' country); other
/// numbers are shown in E.164 in every format.
public enum PhoneDisplay {
    public static func format(_ e164: String, as format: String) -> String {
        guard format != "e164", e164.hasPrefix("+7"), e164.count == 12 else { return e164 }
        let d = Array(e164.dropFirst(2))
        let rest = "\(String(d[3..<6]))-\(String(d[6..<8]))-\(String(d[8..<10]))"
        return format == "national" ? "8 (\(String(d[0..<3]))) \(rest)" : "+7 \(String(d[0..<3])) \(rest)"
    }
}
