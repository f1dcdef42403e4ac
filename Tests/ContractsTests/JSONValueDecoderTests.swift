import Contracts
import Foundation
import Testing

/// `JSONValueDecoder` reads a parsed value as `JSONCoding.decoder` reads the bytes (every
/// example message is also checked in `ExampleTests`), and fails with the same coding paths.
@Suite struct JSONValueDecoderTests {
    struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var ratio: Double
        var small: UInt8?
        var at: Date
        var tags: [String]
        var nested: [String: [Int]]
        var any: JSONValue?
    }

    private func both<T: Decodable & Equatable>(_ type: T.Type, _ text: String) throws -> (T, T) {
        let data = Data(text.utf8)
        return (try JSONCoding.decoder.decode(T.self, from: data), try JSONValueDecoder().decode(T.self, from: JSONValue.parse(data)))
    }

    @Test func readsLikeTheBytesDecoder() throws {
        let text = #"{"name":"Анна","count":3,"ratio":2,"small":7.0,"at":"2024-05-01T10:15:30.250+03:00","tags":["a","b"],"nested":{"x":[1,2]},"any":{"k":[null,true]},"extra":1}"#
        let (bytes, value) = try both(Sample.self, text)
        #expect(bytes == value)
        #expect(value.small == 7 && value.ratio == 2 && value.any == .object(["k": .array([.null, .bool(true)])]))
        let (absent, absentToo) = try both(Sample.self, #"{"name":"a","count":0,"ratio":0.5,"small":null,"at":"2024-05-01T00:00:00Z","tags":[],"nested":{}}"#)
        #expect(absent == absentToo && absent.small == nil && absent.any == nil)
    }

    private func failure(_ text: String) -> DecodingError? {
        do {
            _ = try JSONValueDecoder().decode(Sample.self, from: JSONValue.parse(Data(text.utf8)))
            return nil
        } catch let error as DecodingError {
            return error
        } catch {
            return nil
        }
    }

    private func path(_ error: DecodingError?) -> String {
        switch error {
        case .keyNotFound(let key, let context)?: return (context.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        default: return "-"
        }
    }

    @Test func failsWithThePathOfTheField() {
        let good = #""name":"a","count":1,"ratio":1,"at":"2024-05-01T00:00:00Z","nested":{}"#
        let missing = failure("{\(good)}")
        #expect(path(missing) == "tags")
        guard case .keyNotFound? = missing else { Issue.record("\(String(describing: missing))"); return }
        let mistyped = failure("{\(good),\"tags\":[\"a\",2]}")
        #expect(path(mistyped) == "tags.[1]")
        guard case .typeMismatch? = mistyped else { Issue.record("\(String(describing: mistyped))"); return }
        let tooBig = failure("{\(good),\"tags\":[],\"small\":300}")
        #expect(path(tooBig) == "small")
        let badDate = failure(#"{"name":"a","count":1,"ratio":1,"at":"yesterday","tags":[],"nested":{}}"#)
        guard case .dataCorrupted? = badDate else { Issue.record("\(String(describing: badDate))"); return }
        #expect(path(badDate) == "at")
        let nullCount = failure(#"{"name":"a","count":null,"ratio":1,"at":"2024-05-01T00:00:00Z","tags":[],"nested":{}}"#)
        guard case .valueNotFound? = nullCount else { Issue.record("\(String(describing: nullCount))"); return }
        #expect(path(failure(#"{"name":"a","count":1.5,"ratio":1,"at":"2024-05-01T00:00:00Z","tags":[],"nested":{}}"#)) == "count")
    }
}
