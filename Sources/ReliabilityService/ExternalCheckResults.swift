import Contracts
import Foundation
import SQLStore
import WorkerKit

/// The provider's answers, as the effect runner hands them back (`reliability.check.completed`,
/// `reliability.connection.test.completed`): stored, announced, and sent to whoever waits.
enum ExternalCheckResults {
    static func checked(_ db: SQLDatabase, _ done: ReliabilityCheckCompleted, _ context: HandlerContext) throws {
        let call = done.payload
        guard let answer = done.result else {
            // A queued check has used its attempts: nobody waits, the next order or view asks again.
            try context.answer(effect: done.effectID, in: db,
                               with: .failure(ErrorBody(code: .unavailable, message: done.failure ?? "the call failed")))
            return
        }
        switch (answer.kind, answer.status) {
        case (.status, let status?):
            try StoredCheck(storeID: call.storeID, phone: call.phone, status: status, checkedAt: done.completedAt).save(db)
            try context.publish(event: ReliabilityChecked(
                storeID: call.storeID, clientID: call.clientID, phone: call.phone, status: status,
                checkedAt: done.completedAt, trigger: call.trigger), type: "reliability.checked")
            try context.answer(effect: done.effectID, in: db, with: .success(encoding: ReliabilityCheckResult(
                status: status, checkedAt: done.completedAt, cached: false)))
        case (.refused, _):
            try context.answer(effect: done.effectID, in: db, with: .failure(ErrorBody(
                code: .unauthorized, message: refusal(answer))))
        default:
            try context.answer(effect: done.effectID, in: db, with: .failure(ErrorBody(
                code: .unavailable, message: "the service answered something else than a status")))
        }
    }

    static func connectionTested(_ db: SQLDatabase, _ done: ReliabilityConnectionTestCompleted, _ context: HandlerContext) throws {
        let result: ReliabilityConnectionResult
        switch done.result?.kind {
        case .connected?: result = ReliabilityConnectionResult(status: .connected, reason: nil, testedAt: done.completedAt)
        case .refused?:
            result = ReliabilityConnectionResult(status: .noConnection, reason: refusal(done.result!), testedAt: done.completedAt)
        default:
            result = ReliabilityConnectionResult(status: .noConnection, reason: done.failure ?? "the service gave no answer",
                                                 testedAt: done.completedAt)
        }
        try storeConnection(db, storeID: done.payload.storeID, result)
        try context.answer(effect: done.effectID, in: db, with: .success(encoding: result))
    }

    static func refusal(_ answer: ProviderAnswer) -> String {
        "the service refused the partner code or signature (HTTP \(answer.httpStatus ?? 0))"
    }

    /// One upsert of the connection columns alone (a settings update in flight keeps its own);
    /// an older result arriving late does not replace a newer one.
    static func storeConnection(_ db: SQLDatabase, storeID: String, _ result: ReliabilityConnectionResult) throws {
        try db.execute("""
            INSERT INTO rel_settings (store_id, updated_at, last_connection_status, last_connection_reason, last_connection_at)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id) DO UPDATE SET last_connection_status = excluded.last_connection_status,
            last_connection_reason = excluded.last_connection_reason, last_connection_at = excluded.last_connection_at
            WHERE rel_settings.last_connection_at IS NULL OR rel_settings.last_connection_at <= excluded.last_connection_at
            """, [storeID, RFC3339.string(from: result.testedAt), result.status.rawValue, result.reason,
                             RFC3339.string(from: result.testedAt)])
    }
}
