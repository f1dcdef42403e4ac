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
}
