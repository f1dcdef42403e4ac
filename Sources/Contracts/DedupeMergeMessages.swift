import Foundation

/// `dedupe.merge` (schemas/dedupe.merge.schema.json): merge the groups of a finished analysis
/// (`groups`: their numbers; absent: every group not skipped). Answered with the run (`dedupe.run`).
public struct DedupeMerge: Codable, Sendable, Equatable {
    public var storeID: String
    public var jobID: String
    public var groups: [Int]?

    public init(storeID: String, jobID: String, groups: [Int]? = nil) {
        self.storeID = storeID
        self.jobID = jobID
        self.groups = groups
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", jobID = "job_id", groups }
}

/// `dedupe.run` (schemas/dedupe.run.schema.json): a merge run as it stands.
public struct DedupeRunView: Codable, Sendable, Equatable {
    public var runID: String
    public var storeID: String
    public var jobID: String
    /// `running` while merges are sent and not yet confirmed by `client.merged`; then `done`.
    public var status: String
    public var startedBy: String
    public var automatic: Bool
    public var groupsSent: Int
    public var groupsMerged: Int
    /// Groups client-service refused to merge (`client.merge_refused`; the reason is in the log).
    public var groupsRefused: Int
    public var clientsMerged: Int
    public var groupsSkipped: Int
    /// Groups that had changed since the analysis and were analysed again before merging.
    public var groupsReanalysed: Int
    public var startedAt: Date
    public var finishedAt: Date?

    public init(runID: String, storeID: String, jobID: String, status: String, startedBy: String, automatic: Bool,
                groupsSent: Int = 0, groupsMerged: Int = 0, groupsRefused: Int = 0, clientsMerged: Int = 0, groupsSkipped: Int = 0,
                groupsReanalysed: Int = 0, startedAt: Date, finishedAt: Date? = nil) {
        self.runID = runID
        self.storeID = storeID
        self.jobID = jobID
        self.status = status
        self.startedBy = startedBy
        self.automatic = automatic
        self.groupsSent = groupsSent
        self.groupsMerged = groupsMerged
        self.groupsRefused = groupsRefused
        self.clientsMerged = clientsMerged
        self.groupsSkipped = groupsSkipped
        self.groupsReanalysed = groupsReanalysed
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", storeID = "store_id", jobID = "job_id", status, startedBy = "started_by", automatic
        case groupsSent = "groups_sent", groupsMerged = "groups_merged", groupsRefused = "groups_refused", clientsMerged = "clients_merged"
        case groupsSkipped = "groups_skipped", groupsReanalysed = "groups_reanalysed", startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// `dedupe.log` (schemas/dedupe.log.schema.json): the merges of a store (of one run with `run_id`),
/// newest first, after the merge id `after`.
public struct DedupeLogQuery: Codable, Sendable, Equatable {
    public var storeID: String
    public var runID: String?
    public var after: Int?
    public var limit: Int?

    public init(storeID: String, runID: String? = nil, after: Int? = nil, limit: Int? = nil) {
        self.storeID = storeID
        self.runID = runID
        self.after = after
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", runID = "run_id", after, limit }
}

/// One merge of the log.
public struct DedupeLogEntry: Codable, Sendable, Equatable {
    public var mergeID: Int
    public var runID: String
    public var jobID: String
    public var groupNumber: Int
    public var survivorID: String
    public var mergedIDs: [String]
    public var reasons: [DedupeGroup.Reason]
    /// `sent`, `merged`, `unmerge_sent`, `unmerged`, or `refused` (by client-service, see `refusal`).
    public var status: String
    public var startedBy: String
    public var sentAt: Date
    public var mergedAt: Date?
    public var unmergedAt: Date?
    /// client-service's reason, when it refused the merge.
    public var refusal: ErrorBody?

    public init(mergeID: Int, runID: String, jobID: String, groupNumber: Int, survivorID: String, mergedIDs: [String],
                reasons: [DedupeGroup.Reason], status: String, startedBy: String, sentAt: Date, mergedAt: Date? = nil,
                unmergedAt: Date? = nil, refusal: ErrorBody? = nil) {
        self.mergeID = mergeID
        self.runID = runID
        self.jobID = jobID
        self.groupNumber = groupNumber
        self.survivorID = survivorID
        self.mergedIDs = mergedIDs
        self.reasons = reasons
        self.status = status
        self.startedBy = startedBy
        self.sentAt = sentAt
        self.mergedAt = mergedAt
        self.unmergedAt = unmergedAt
        self.refusal = refusal
    }

    enum CodingKeys: String, CodingKey {
        case mergeID = "merge_id", runID = "run_id", jobID = "job_id", groupNumber = "group_number", survivorID = "survivor_id"
        case mergedIDs = "merged_ids", reasons, status, startedBy = "started_by", sentAt = "sent_at", mergedAt = "merged_at"
        case unmergedAt = "unmerged_at", refusal
    }
}

/// `dedupe.log.result` (schemas/dedupe.log.result.schema.json).
public struct DedupeLogResult: Codable, Sendable, Equatable {
    public var entries: [DedupeLogEntry]
    public var nextCursor: Int?

    public init(entries: [DedupeLogEntry], nextCursor: Int?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case entries, nextCursor = "next_cursor" }
}

/// `dedupe.unmerge` (schemas/dedupe.unmerge.schema.json): undo one merge (`merge_id`) or every
/// merge of a run (`run_id`) through client-service's `client.unmerge`. Answered with the log
/// entries it undoes (`dedupe.log.result`).
public struct DedupeUnmerge: Codable, Sendable, Equatable {
    public var storeID: String
    public var mergeID: Int?
    public var runID: String?

    public init(storeID: String, mergeID: Int? = nil, runID: String? = nil) {
        self.storeID = storeID
        self.mergeID = mergeID
        self.runID = runID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", mergeID = "merge_id", runID = "run_id" }
}
