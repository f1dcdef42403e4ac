import Foundation

/// `billing.account.history.result` (schemas/billing.account.history.result.schema.json): the changes, oldest first: `field` is what changed (`opened`, `active`, `credit_limit`, `state`, ...), with the value before and after.
public struct BillingHistoryResult: Codable, Sendable, Equatable {
    public var changes: [BillingChange]

    public init(changes: [BillingChange]) {
        self.changes = changes
    }

    enum CodingKeys: String, CodingKey {
        case changes
    }
}

/// One element of a `BillingChange` list (an array of objects in the schemas above).
public struct BillingChange: Codable, Sendable, Equatable {
    public var subject: String
    public var subjectID: String
    public var field: String
    public var oldValue: String?
    public var newValue: String?
    public var changedBy: String
    public var changedAt: Date

    public init(subject: String, subjectID: String, field: String, oldValue: String? = nil, newValue: String? = nil, changedBy: String, changedAt: Date) {
        self.subject = subject
        self.subjectID = subjectID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.changedBy = changedBy
        self.changedAt = changedAt
    }

    enum CodingKeys: String, CodingKey {
        case subject, subjectID = "subject_id", field, oldValue = "old_value", newValue = "new_value"
        case changedBy = "changed_by", changedAt = "changed_at"
    }
}
