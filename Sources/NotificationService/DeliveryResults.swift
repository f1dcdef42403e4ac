import Contracts
import SQLStore
import WorkerKit

/// The channels' results, as the effect runner hands them back (`notification.email.completed`,
/// `notification.sms.completed`): the delivery log is updated and the outcome announced as
/// `notification.delivered` or `notification.failed`. A result handled twice changes nothing.
enum DeliveryResults {
    static func email(_ db: SQLDatabase, _ done: EmailSendCompleted, _ context: HandlerContext) throws {
        if done.result != nil {
            try finish(db, deliveryID: done.payload.deliveryID, delivered: true, reason: nil, done.attempts, done, context)
        } else {
            try finish(db, deliveryID: done.payload.deliveryID, delivered: false,
                       reason: done.failure ?? "the e-mail was not sent", done.attempts, done, context)
        }
    }

    static func sms(_ db: SQLDatabase, _ done: SMSSendCompleted, _ context: HandlerContext) throws {
        switch done.result?.kind {
        case .sent?:
            try finish(db, deliveryID: done.payload.deliveryID, delivered: true, reason: nil, done.attempts, done, context)
        case .refused?:
            let status = done.result?.httpStatus.map { " (HTTP \($0))" } ?? ""
            try finish(db, deliveryID: done.payload.deliveryID, delivered: false,
                       reason: "the SMS gateway refused the message\(status)", done.attempts, done, context)
        case nil:
            try finish(db, deliveryID: done.payload.deliveryID, delivered: false,
                       reason: done.failure ?? "the SMS was not sent", done.attempts, done, context)
        }
    }

    private static func finish<P, R>(_ db: SQLDatabase, deliveryID: String, delivered: Bool, reason: String?, _ calls: Int,
                                     _ done: EffectCompleted<P, R>, _ context: HandlerContext) throws {
        guard let record = try DeliveryLog.complete(db, deliveryID: deliveryID, status: delivered ? .delivered : .failed,
                                                    reason: reason, calls: calls, at: done.completedAt)
        else { return }
        try context.publish(event: record.outcome(at: done.completedAt),
                            type: delivered ? "notification.delivered" : "notification.failed")
    }
}
