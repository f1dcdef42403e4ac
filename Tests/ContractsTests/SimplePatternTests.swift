import Foundation
@testable import JSONKit
import Testing

/// `SimplePattern` is a fast path in front of NSRegularExpression: over every pattern of our
/// schemas that it takes, it must answer as the regex engine does.
struct SimplePatternTests {
    static let patterns: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../schemas").standardizedFileURL
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        var found = Set<String>()
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let pattern = object["pattern"] as? String { found.insert(pattern) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        for file in files where file.pathExtension == "json" {
            if let data = try? Data(contentsOf: file), let json = try? JSONSerialization.jsonObject(with: data) { collect(json) }
        }
        return found.sorted()
    }()

    @Test func theCommonPatternsTakeTheFastPath() {
        for pattern in ["^[a-z0-9][a-z0-9_.-]{0,63}$", "^[A-Z]{3}$", "^[A-Z]{2}$", "^\\+[1-9][0-9]{7,14}$",
                        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"] {
            #expect(Self.patterns.contains(pattern), "still used by a schema: \(pattern)")
            #expect(SimplePattern(pattern) != nil, "\(pattern)")
        }
        for pattern in ["^https?://", "^(a|b)$", "^[^a]$", "^\\s+$", "^a.b$", "^[]a]$", "^[a-z]{2,}$", "a$"] {
            #expect(SimplePattern(pattern) == nil, "left to the regex engine: \(pattern)")
        }
    }

    @Test func answersAsTheRegexEngineOnEverySchemaPattern() throws {
        let alphabet = Array("az09AZ_.-+:/T \u{451}\u{E9}5R9EUxq7-")
        var generator = SystemRandomNumberGenerator()
        let samples = ["", "s1", "shop-1", "EUR", "RU", "eur", "+79120000001", "+0912", "2026-11-30T01:02:03",
                       "1234567890", "123456789012", "a", String(repeating: "a", count: 64), String(repeating: "a", count: 65),
                       "ab.c_d-e", "-ab", "\u{451}", "EU\u{451}"]
        var checked = 0
        for source in Self.patterns {
            guard let simple = SimplePattern(source) else { continue }
            let regex = try NSRegularExpression(pattern: source)
            var strings = samples
            for _ in 0..<400 {
                let length = Int.random(in: 0...20, using: &generator)
                strings.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
            }
            for string in strings {
                let expected = regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
                #expect(simple.matches(string) == expected, "\(source) on \(string.debugDescription)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    @Test func theEndIsTheEndOfTheString() {
        // ICU lets `$` match before a final line break; JSON Schema's ECMA-262 does not.
        let currency = SimplePattern("^[A-Z]{3}$")!
        #expect(currency.matches("EUR") && !currency.matches("EUR\n") && !currency.matches("EURO"))
    }

    @Test func repeatsGiveBackWhatTheNextAtomNeeds() {
        let pattern = SimplePattern("^[a-z]{0,5}[a-c]{2}$")!
        #expect(pattern.matches("xyab") && pattern.matches("ab") && !pattern.matches("abcdefgh") && !pattern.matches("a"))
    }
}
