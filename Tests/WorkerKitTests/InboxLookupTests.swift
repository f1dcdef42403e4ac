import Foundation
import ClientService
import CRMTestSupport
import SQLStore
import Testing
@testable import WorkerKit

/// The inbox lookup run for every message: a sender's own row, a row from before senders were
/// kept ('') for anyone, never another sender's row. On both engines, with the migrations.
@Suite struct InboxLookupTests {

    @Test(arguments: TestEngine.all) func aSendersRowIsItsOwn(engine: TestEngine) throws {
        try engine.storage(ClientServiceDefinition()).write { db in
            try InboxEntry.record(db, messageID: "m-1", userID: "shop-a", type: "order.placed", outcome: .handled, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "m-1", userID: "shop-a") == .handled)
            #expect(try InboxEntry.outcome(db, messageID: "m-1", userID: "shop-b") == nil, "another sender's id is new")
            #expect(try InboxEntry.outcome(db, messageID: "m-2", userID: "shop-a") == nil)
        }
    }

    @Test(arguments: TestEngine.all) func aRowWithoutSenderMatchesAnySender(engine: TestEngine) throws {
        try engine.storage(ClientServiceDefinition()).write { db in
            try InboxEntry.record(db, messageID: "old", userID: "", type: "order.placed", outcome: .dead, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "old", userID: "shop-a") == .dead)
            #expect(try InboxEntry.outcome(db, messageID: "old", userID: "") == .dead)
        }
    }

    @Test(arguments: TestEngine.all) func theSendersOwnRowComesBeforeOneWithoutSender(engine: TestEngine) throws {
        try engine.storage(ClientServiceDefinition()).write { db in
            try InboxEntry.record(db, messageID: "both", userID: "", type: "client.create", outcome: .dead, at: Date())
            try InboxEntry.record(db, messageID: "both", userID: "crm-admin", type: "client.create", outcome: .rejected, at: Date())
            try InboxEntry.record(db, messageID: "both", userID: "shop-z", type: "client.create", outcome: .handled, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "both", userID: "crm-admin") == .rejected)
            #expect(try InboxEntry.outcome(db, messageID: "both", userID: "shop-y") == .dead)
        }
    }
}
