import Foundation

/// `dedupe.report` (schemas/dedupe.report.schema.json): a page of an analysis's groups, after the
/// group number `after`; the first page (no `after`) carries the suggestions too.
public struct DedupeReportQuery: Codable, Sendable, Equatable {
    public var storeID: String
    public var jobID: String
    public var after: Int?
    public var limit: Int?

    public init(storeID: String, jobID: String, after: Int? = nil, limit: Int? = nil) {
        self.storeID = storeID
        self.jobID = jobID
        self.after = after
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", jobID = "job_id", after, limit }
}

/// One group of duplicates as reported (and kept with the job).
public struct DedupeGroup: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var clientID: String
        public var storeID: String
        public var name: String?
        public var email: String?
        /// In the store's display format (`phone_format`).
        public var phones: [String]
        public var createdAt: Date

        public init(clientID: String, storeID: String, name: String?, email: String?, phones: [String], createdAt: Date) {
            self.clientID = clientID
            self.storeID = storeID
            self.name = name
            self.email = email
            self.phones = phones
            self.createdAt = createdAt
        }

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id", storeID = "store_id", name, email, phones, createdAt = "created_at"
        }
    }

    /// A value shared by two clients: why they are one group.
    public struct Reason: Codable, Sendable, Equatable {
        /// `phone`, `email`, `inn`, `contact_phone`, `contact_email`, or `order` (an order tied them; the value is its id).
        public var kind: String
        public var value: String
        public var clientIDs: [String]

        public init(kind: String, value: String, clientIDs: [String]) {
            self.kind = kind
            self.value = value
            self.clientIDs = clientIDs
        }

        enum CodingKeys: String, CodingKey { case kind, value, clientIDs = "client_ids" }
    }

    /// The card the merge would leave.
    public struct Proposed: Codable, Sendable, Equatable {
        public var firstName: String?
        public var lastName: String?
        public var email: String?
        public var phones: [String]

        public init(firstName: String?, lastName: String?, email: String?, phones: [String]) {
            self.firstName = firstName
            self.lastName = lastName
            self.email = email
            self.phones = phones
        }

        enum CodingKeys: String, CodingKey { case firstName = "first_name", lastName = "last_name", email, phones }
    }

    public var number: Int
    public var clients: [Member]
    public var reasons: [Reason]
    public var survivorID: String
    public var proposed: Proposed
    public var crossStore: Bool
    /// `phone_limit` or `cross_store`: not merged, and why.
    public var skipped: String?

    public init(number: Int, clients: [Member], reasons: [Reason], survivorID: String, proposed: Proposed,
                crossStore: Bool, skipped: String?) {
        self.number = number
        self.clients = clients
        self.reasons = reasons
        self.survivorID = survivorID
        self.proposed = proposed
        self.crossStore = crossStore
        self.skipped = skipped
    }

    enum CodingKeys: String, CodingKey {
        case number, clients, reasons, survivorID = "survivor_id", proposed, crossStore = "cross_store", skipped
    }
}

/// A pair of similar clients without a shared key: shown, never merged automatically.
public struct DedupeSuggestionView: Codable, Sendable, Equatable {
    public var clientIDs: [String]
    public var names: [String]
    public var score: Double
    public var evidence: String

    public init(clientIDs: [String], names: [String], score: Double, evidence: String) {
        self.clientIDs = clientIDs
        self.names = names
        self.score = score
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey { case clientIDs = "client_ids", names, score, evidence }
}

/// `dedupe.report.result` (schemas/dedupe.report.result.schema.json).
public struct DedupeReportResult: Codable, Sendable, Equatable {
    public var job: DedupeJobView
    public var groups: [DedupeGroup]
    public var suggestions: [DedupeSuggestionView]?
    /// The `after` of the next page; absent on the last.
    public var nextCursor: Int?

    public init(job: DedupeJobView, groups: [DedupeGroup], suggestions: [DedupeSuggestionView]?, nextCursor: Int?) {
        self.job = job
        self.groups = groups
        self.suggestions = suggestions
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case job, groups, suggestions, nextCursor = "next_cursor" }
}
