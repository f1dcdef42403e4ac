import Contracts
import Foundation
import Testing

/// A key twice in one object is refused, naming its path, at any depth.
@Suite struct DuplicateKeyTests {
    private func duplicate(_ text: String) -> DuplicateKey? {
        do {
            _ = try JSONValue.parse(Data(text.utf8))
            return nil
        } catch let error as DuplicateKey {
            return error
        } catch {
            Issue.record("\(text): \(error)")
            return nil
        }
    }

    @Test func theKeyIsNamedByItsPath() {
        #expect(duplicate(#"{"store_id":"s1","query":"anna","limit":-1,"limit":5}"#)?.field == "limit")
        #expect(duplicate(#"{"customer":{"name":"A","phone":"1","phone":"2"}}"#)?.field == "customer.phone")
        #expect(duplicate(#"{"items":[{"sku":"a"},{"sku":"b","qty":1,"sku":"c"}]}"#)?.field == "items[1].sku")
        #expect(duplicate(#"[[{"a":{"b":{"c":1,"c":1}}}]]"#)?.field == "[0][0].a.b.c")
        #expect(duplicate(#"{"a":{},"a":{}}"#)?.field == "a", "even when both values are the same")
    }

    @Test func theSameKeyInDifferentObjectsIsFine() throws {
        let value = try JSONValue.parse(Data(#"{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}"#.utf8))
        #expect(value["b"]?["id"] == .integer(2))
        // Keys are compared after unescaping: "\u0061" is "a".
        #expect(duplicate(#"{"a":1,"\u0061":2}"#)?.field == "a")
    }
}
