import Foundation

/// `dedupe.analyze` (schemas/dedupe.analyze.schema.json): find the store's duplicates (with
/// `account_wide`, across the stores of its account); answered at once with the queued job.
public struct DedupeAnalyze: Codable, Sendable, Equatable {
    public var storeID: String
    public var accountWide: Bool?

    public init(storeID: String, accountWide: Bool? = nil) {
        self.storeID = storeID
        self.accountWide = accountWide
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", accountWide = "account_wide" }
}

/// `dedupe.job.get` and `dedupe.job.cancel` (schemas/dedupe.job.get…, dedupe.job.cancel…).
public struct DedupeJobRef: Codable, Sendable, Equatable {
    public var storeID: String
    public var jobID: String

    public init(storeID: String, jobID: String) {
        self.storeID = storeID
        self.jobID = jobID
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", jobID = "job_id" }
}

/// `dedupe.job` (schemas/dedupe.job.schema.json): a job as it stands.
public struct DedupeJobView: Codable, Sendable, Equatable {
    public var jobID: String
    public var storeID: String
    /// `analyze` or `rebuild` (the index filled again from `client.export`).
    public var kind: String
    /// `queued`, `running`, `done`, `cancelled` or `failed`.
    public var status: String
    public var accountWide: Bool
    public var phase: String?
    public var done: Int
    public var total: Int
    public var clients: Int?
    public var groups: Int?
    public var skipped: Int?
    public var suggestions: Int?
    public var startedBy: String
    public var createdAt: Date
    public var finishedAt: Date?
    public var error: String?

    public init(jobID: String, storeID: String, kind: String, status: String, accountWide: Bool, phase: String? = nil,
                done: Int = 0, total: Int = 0, clients: Int? = nil, groups: Int? = nil, skipped: Int? = nil,
                suggestions: Int? = nil, startedBy: String, createdAt: Date, finishedAt: Date? = nil, error: String? = nil) {
        self.jobID = jobID
        self.storeID = storeID
        self.kind = kind
        self.status = status
        self.accountWide = accountWide
        self.phase = phase
        self.done = done
        self.total = total
        self.clients = clients
        self.groups = groups
        self.skipped = skipped
        self.suggestions = suggestions
        self.startedBy = startedBy
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", storeID = "store_id", kind, status, accountWide = "account_wide", phase, done, total
        case clients, groups, skipped, suggestions, startedBy = "started_by", createdAt = "created_at"
        case finishedAt = "finished_at", error
    }
}

/// `dedupe.job.progress` (schemas/dedupe.job.progress.schema.json): a job was queued, moved on,
/// or ended. dedupe-service runs a job when it reads its own `queued` event (any replica, once).
public struct DedupeJobProgress: Codable, Sendable, Equatable {
    public var storeID: String
    public var jobID: String
    public var kind: String
    public var status: String
    public var phase: String?
    public var done: Int
    public var total: Int
    public var at: Date

    public init(storeID: String, jobID: String, kind: String, status: String, phase: String? = nil, done: Int = 0,
                total: Int = 0, at: Date) {
        self.storeID = storeID
        self.jobID = jobID
        self.kind = kind
        self.status = status
        self.phase = phase
        self.done = done
        self.total = total
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", jobID = "job_id", kind, status, phase, done, total, at
    }
}
