import Foundation
@testable import SQLStore
import Testing

/// PostgreSQL's `bytea` in its hex form, as libpq's text format hands it back.
struct HexBytesTests {
    @Test func everyByteComesBackTheSame() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 2, 31, 256, 4_097] {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let hex = HexBytes.encode(data)
            #expect(hex.hasPrefix("\\x") && hex.utf8.count == 2 + 2 * length)
            #expect(Data.from(.text(hex)) == data)
        }
        #expect(HexBytes.decode("00fFA09b".utf8[...]) == Data([0x00, 0xFF, 0xA0, 0x9B]))
    }

    @Test func aDigitMissingOrNotHexIsNoBytes() {
        #expect(HexBytes.decode("abc".utf8[...]) == nil)
        #expect(HexBytes.decode("0g".utf8[...]) == nil)
        #expect(HexBytes.decode("0 ".utf8[...]) == nil)
    }
}
