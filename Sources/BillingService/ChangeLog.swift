import Contracts
import Foundation
import SQLStore
import WorkerKit

/// `billing_account_change`: who changed what on an account or a payment, and when. The author is
/// the broker-verified sender, never a field of the message.
enum ChangeLog {
    static func record(_ db: SQLDatabase, storeID: String, accountID: String, subject: String = "account", subjectID: String? = nil,
                       field: String, old: String?, new: String?, context: HandlerContext) throws {
        try db.execute("""
            INSERT INTO billing_account_change (store_id, account_id, subject, subject_id, field, old_value, new_value,
                changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [storeID, accountID, subject, subjectID ?? accountID, field, old, new, context.sender.userID, context.now])
    }

    /// Records `field` only when its value changed.
    static func compare<T: Equatable>(_ db: SQLDatabase, _ account: Account, field: String, _ old: T?, _ new: T?,
                                      context: HandlerContext) throws {
        guard old != new else { return }
        try record(db, storeID: account.storeID, accountID: account.accountID, field: field,
                   old: old.map { "\($0)" }, new: new.map { "\($0)" }, context: context)
    }

    static func history(_ db: SQLDatabase, storeID: String, subjectID: String) throws -> BillingHistoryResult {
        let rows = try db.rows("""
            SELECT * FROM billing_account_change WHERE subject_id = ? AND store_id = ? ORDER BY change_id
            """, [subjectID, storeID])
        return BillingHistoryResult(changes: rows.map { row in
            BillingChange(subject: row["subject"], subjectID: row["subject_id"], field: row["field"], oldValue: row["old_value"],
                          newValue: row["new_value"], changedBy: row["changed_by"], changedAt: row["changed_at"])
        })
    }
}
