import Contracts
import Foundation
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let text = #"{"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","i":-42,"d":12.5,"e":1e3,"t":true,"f":false,"n":null,"a":[1,[2,{}],[]],"o":{"x":{}}}"#
        let value = try JSONValue.parse(Data(text.utf8))
        #expect(value["s"] == .string("a\"b\\c/d\né😀"))
        #expect(value["i"] == .integer(-42))
        #expect(value["d"] == .number(12.5))
        #expect(value["e"] == .number(1000))
        #expect(value["t"] == .bool(true) && value["f"] == .bool(false) && value["n"] == .null)
        #expect(value["a"] == .array([.integer(1), .array([.integer(2), .object([:])]), .array([])]))
        #expect(value["o"] == .object(["x": .object([:])]))
    }

    @Test func agreesWithFoundationsDecoder() throws {
        let documents = [#"{"store_id":"s1","total":{"amount":259800,"currency":"RUB"},"items":[{"q":2}]}"#,
                         #"[1.5, -0.25, 123456789012, "Иванова", {"k": [true, null]}]"#, #"  "plain"  "#, "0", "-7"]
        for document in documents {
            let data = Data(document.utf8)
            #expect(try JSONValue.parse(data) == JSONDecoder().decode(JSONValue.self, from: data), "\(document)")
        }
    }

    @Test(arguments: ["", "{", "{\"a\":1,}", "[1,]", "01", "1.", "-", "+1", "{\"a\" 1}", "\"\u{01}\"", "\"\\ud800\"",
                      "\"\\x\"", "nul", "truex", "{} {}", "[1 2]", "{'a':1}", "\"unterminated"])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data(text.utf8)) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Data([0x22, 0xFF, 0x22])) }
        #expect(throws: (any Error).self) { try JSONValue.parse(Data((String(repeating: "[", count: 300) + String(repeating: "]", count: 300)).utf8)) }
    }
}

@Suite struct RFC3339Tests {
    @Test func readsOffsetsAndFractions() throws {
        let utc = try #require(RFC3339.date(from: "2024-05-01T10:15:30Z"))
        #expect(utc.timeIntervalSince1970 == 1_714_558_530)
        #expect(RFC3339.date(from: "2024-05-01T13:15:30+03:00") == utc)
        #expect(RFC3339.date(from: "2024-05-01T07:15:30-03:00") == utc)
        #expect(RFC3339.date(from: "2024-05-01T10:15:30.250Z")?.timeIntervalSince1970 == 1_714_558_530.25)
        #expect(RFC3339.date(from: "2024-02-29T00:00:00Z") != nil, "a leap day")
    }

    @Test(arguments: ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01 10:15:30Z", "2024-05-01T24:00:00Z",
                      "2024-05-01T10:15:30", "2024-05-01T10:15:30.Z", "2024-05-01T10:15:30+3:00", "yesterday"])
    func refusesWhatIsNotADateTime(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }

    @Test func writesUTCWithMillisecondsAndReadsItBack() throws {
        for seconds in [0.0, 1_714_558_530.25, 951_782_400.999, -86_400.5, 4_102_444_799.001] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = RFC3339.string(from: date)
            #expect(text.hasSuffix("Z") && text.count == 24, "\(text)")
            let back = try #require(RFC3339.date(from: text))
            #expect(abs(back.timeIntervalSince1970 - seconds) < 0.001, "\(text)")
        }
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_714_558_530.25)) == "2024-05-01T10:15:30.250Z")
    }
}
