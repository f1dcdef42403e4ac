import Foundation
import GRDB
import Testing
@testable import WorkerKit

/// The inbox lookup run for every message: a sender's own row, a row from before senders were
/// kept ('') for anyone, never another sender's row. On a real SQLite file with the migrations.
@Suite struct InboxLookupTests {
    let database: DatabasePool

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-inbox-\(UUID().uuidString)")
        database = try ServiceDatabase.open(directory: folder, service: "inbox-test", migrations: { _ in })
    }

    @Test func aSendersRowIsItsOwn() throws {
        try database.write { db in
            try InboxEntry.record(db, messageID: "m-1", userID: "shop-a", type: "order.placed", outcome: .handled, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "m-1", userID: "shop-a") == .handled)
            #expect(try InboxEntry.outcome(db, messageID: "m-1", userID: "shop-b") == nil, "another sender's id is new")
            #expect(try InboxEntry.outcome(db, messageID: "m-2", userID: "shop-a") == nil)
        }
    }

    @Test func aRowWithoutSenderMatchesAnySender() throws {
        try database.write { db in
            try InboxEntry.record(db, messageID: "old", userID: "", type: "order.placed", outcome: .dead, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "old", userID: "shop-a") == .dead)
            #expect(try InboxEntry.outcome(db, messageID: "old", userID: "") == .dead)
        }
    }

    @Test func theSendersOwnRowComesBeforeOneWithoutSender() throws {
        try database.write { db in
            try InboxEntry.record(db, messageID: "both", userID: "", type: "client.create", outcome: .dead, at: Date())
            try InboxEntry.record(db, messageID: "both", userID: "crm-admin", type: "client.create", outcome: .rejected, at: Date())
            try InboxEntry.record(db, messageID: "both", userID: "shop-z", type: "client.create", outcome: .handled, at: Date())
            #expect(try InboxEntry.outcome(db, messageID: "both", userID: "crm-admin") == .rejected)
            #expect(try InboxEntry.outcome(db, messageID: "both", userID: "shop-y") == .dead)
        }
    }
}
