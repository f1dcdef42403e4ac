import Foundation

extension Reply {
    /// The reply's body. A success is written directly (`{"ok":true,"result":…}`): every command is
    /// answered, and JSONEncoder was a visible part of a small command's cost. A failure, rare and
    /// with more shapes, goes through `JSONCoding.encoder` as before.
    public func body() throws -> Data {
        guard ok, error == nil else { return try JSONCoding.encoder.encode(self) }
        var json = JSONWriter()
        json.object { json in
            json.field("ok", true)
            json.key("result")
            json.value(result ?? .null)
        }
        return Data(json.bytes)
    }
}
