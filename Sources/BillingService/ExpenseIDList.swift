import Contracts
import Foundation

/// A payment's `expense_ids` column: the chosen expenses' ids as a JSON array of strings, written
/// and read by JSONKit's writer and parser (Foundation's JSONEncoder and JSONDecoder for a few ids
/// were 3% of a payment command's time). The text is the same JSONEncoder wrote.
enum ExpenseIDList {
    static func text(_ ids: [String]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, id) in ids.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var json = JSONWriter()
            json.string(id)
            bytes += json.bytes
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The ids; none when the text is not an array of strings (it always is: only `text` writes it).
    static func ids(_ text: String) -> [String] {
        guard case .array(let items)? = try? JSONValue.parse(Data(text.utf8)) else { return [] }
        return items.compactMap { item in
            if case .string(let id) = item { return id }
            return nil
        }
    }
}
