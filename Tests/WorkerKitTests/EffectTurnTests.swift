import Contracts
import CRMTestSupport
import Foundation
import GRDB
import SQLStore
import Testing
@testable import WorkerKit

/// What one turn of the effect runner reads: the due effects it has not claimed, oldest first,
/// only as many as it may start; on both engines.
@Suite struct EffectTurnTests {
    private struct RuntimeOnly: WorkerDefinition {
        var name: ServiceName { .notification }
        func registerMigrations(_ migrator: inout DatabaseMigrator) {}
        func registerHandlers(_ registry: inout HandlerRegistry) {}
    }

    /// Six effects due one second apart, and one due tomorrow; returns their ids, oldest first.
    private static func record(_ storage: SQLStorage, now: Date) throws -> [Int64] {
        try storage.write { db in
            for index in 0..<7 {
                let effect = HandlerContext.RecordedEffect(kind: "test.call", payload: Data("{\"n\":\(index)}".utf8),
                                                           secretSealed: nil, maxAttempts: 3, answerWhenDone: false)
                let due = index == 6 ? now + 86_400 : now - Double(60 - index)
                try EffectTable.insert(db, effect, origin: "m-\(index)", replyTo: nil, correlationID: nil, now: due)
            }
            return try db.rows("SELECT id FROM effect ORDER BY due_at", []).map { $0[0] }
        }
    }

    @Test(arguments: TestEngine.all)
    func claimedEffectsAreSkippedAndTheRestTakenOldestFirst(engine: TestEngine) throws {
        let storage = try engine.storage(RuntimeOnly())
        let now = Date()
        let ids = try Self.record(storage, now: now)
        try storage.read { db in
            // The three oldest are under way: the next two after them, with their rows.
            let taken = try EffectTable.due(db, now: now, limit: 2, skipping: [ids[0], ids[1], ids[2]])
            #expect(taken.map(\.id) == [ids[3], ids[4]])
            #expect(taken.map { String(decoding: $0.payload, as: UTF8.self) } == ["{\"n\":3}", "{\"n\":4}"])
            #expect(taken.allSatisfy { $0.kind == "test.call" && $0.maxAttempts == 3 && $0.attempts == 0 })
            // Claims among the later ones do not shorten the read: the limit counts what is taken.
            #expect(try EffectTable.due(db, now: now, limit: 3, skipping: [ids[1], ids[3]]).map(\.id) == [ids[0], ids[2], ids[4]])
            // Never one not due yet, and nothing when every due one is claimed or none may start.
            #expect(try EffectTable.due(db, now: now, limit: 10, skipping: []).map(\.id) == Array(ids.prefix(6)))
            #expect(try EffectTable.due(db, now: now, limit: 10, skipping: Set(ids.prefix(6))).isEmpty)
            #expect(try EffectTable.due(db, now: now, limit: 0, skipping: []).isEmpty)
        }
    }

    /// The outcomes of a turn and its reading share one transaction: what the reading sees is
    /// the effect table after the outcomes (a completed effect is no longer due), and a reading
    /// that fails leaves the outcomes written.
    @Test(arguments: TestEngine.all)
    func aTurnsReadingSeesItsOwnOutcomesAndItsFailureKeepsThem(engine: TestEngine) throws {
        let storage = try engine.storage(RuntimeOnly())
        let runner = EffectRunner(storage: storage, registry: EffectRegistry(), settings: EffectSettings(),
                                  outbound: OutboundPolicy(allowLoopback: true), workQueue: "notification-service")
        let now = Date()
        let ids = try Self.record(storage, now: now)
        let due = try storage.read { db in try EffectTable.due(db, now: now, limit: 2) }
        let seen = runner.record(due.map { ($0, .failed("refused")) }) { db in
            try EffectTable.due(db, now: now, limit: 10, skipping: []).map(\.id)
        }
        #expect(seen == Array(ids[2..<6]), "the two just completed are not due in the same transaction")
        // A reading that fails in its savepoint (a bad statement) costs the reading only.
        let next = try storage.read { db in try EffectTable.due(db, now: now, limit: 1) }
        let reading = runner.record(next.map { ($0, .failed("refused")) }) { db in
            (try? db.savepoint { try db.rows("SELECT no_such_column FROM effect", []).count }) ?? -1
        }
        #expect(reading == -1)
        let done = try storage.read { db in try db.value("SELECT COUNT(*) FROM effect WHERE state = 'done'", as: Int.self) }
        #expect(done == 3, "the outcomes were written although the reading failed")
    }
}
