import Foundation

/// `dedupe.run.completed` (schemas/dedupe.run.completed.schema.json): a merge run ended; the
/// store's operators get a summary from notification-service.
public struct DedupeRunCompleted: Codable, Sendable, Equatable {
    public var storeID: String
    public var runID: String
    public var jobID: String
    /// The broker user who started the run; `dedupe-service` for an automatic one.
    public var startedBy: String
    public var automatic: Bool
    public var groupsMerged: Int
    public var clientsMerged: Int
    public var groupsSkipped: Int
    /// Groups client-service refused to merge (`dedupe.log` has each with client-service's reason).
    public var groupsRefused: Int
    public var finishedAt: Date

    public init(storeID: String, runID: String, jobID: String, startedBy: String, automatic: Bool,
                groupsMerged: Int, clientsMerged: Int, groupsSkipped: Int, groupsRefused: Int = 0, finishedAt: Date) {
        self.storeID = storeID
        self.runID = runID
        self.jobID = jobID
        self.startedBy = startedBy
        self.automatic = automatic
        self.groupsMerged = groupsMerged
        self.clientsMerged = clientsMerged
        self.groupsSkipped = groupsSkipped
        self.groupsRefused = groupsRefused
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", runID = "run_id", jobID = "job_id", startedBy = "started_by", automatic
        case groupsMerged = "groups_merged", clientsMerged = "clients_merged", groupsSkipped = "groups_skipped"
        case groupsRefused = "groups_refused", finishedAt = "finished_at"
    }
}
