import Contracts
import Foundation
import Testing

@Suite struct RandomIDTests {
    @Test func idsAreVersion4UUIDsAndDistinct() {
        let ids = (0..<10_000).map { _ in RandomID.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(600) {  // more than one refill of the pool
            let uuid = UUID(uuidString: id)
            #expect(uuid?.uuidString == id)
            #expect(Array(id)[14] == "4")
            #expect("89AB".contains(Array(id)[19]))
        }
    }

    @Test func timeOrderedIDsAreVersion7UUIDsInTheOrderOfTheirTimes() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let ids = (0..<2_000).map { RandomID.timeOrdered(now: start.addingTimeInterval(Double($0) / 100)) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.sorted() == ids, "later milliseconds sort later")
        for id in ids.prefix(600) {
            #expect(UUID(uuidString: id)?.uuidString == id)
            #expect(Array(id)[14] == "7" && "89AB".contains(Array(id)[19]))
        }
        // The first 48 bits are the milliseconds: 1,800,000,000,000 = 0x01A3185C5000.
        #expect(ids[0].hasPrefix("01A3185C-5000-7"))
    }
}
