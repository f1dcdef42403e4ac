import Foundation

/// `reliability.check` (schemas/reliability.check.schema.json): by client, or by store and phone.
public struct ReliabilityCheck: Codable, Sendable, Equatable {
    public enum Trigger: String, Codable, Sendable { case operator_ = "operator", autoCOD = "auto_cod" }

    public var clientID: String?
    /// Always given: a client of another store is `not_found`.
    public var storeID: String
    public var phone: String?
    public var force: Bool?
    public var trigger: Trigger?

    public init(storeID: String, clientID: String? = nil, phone: String? = nil, force: Bool? = nil, trigger: Trigger? = nil) {
        self.clientID = clientID
        self.storeID = storeID
        self.phone = phone
        self.force = force
        self.trigger = trigger
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id", storeID = "store_id", phone, force, trigger
    }
}

/// The answer to `reliability.check` (schemas/reliability.check.result.schema.json).
public struct ReliabilityCheckResult: Codable, Sendable, Equatable {
    public var status: ExternalStatus
    public var checkedAt: Date
    public var cached: Bool

    public init(status: ExternalStatus, checkedAt: Date, cached: Bool) {
        self.status = status
        self.checkedAt = checkedAt
        self.cached = cached
    }

    enum CodingKeys: String, CodingKey { case status, checkedAt = "checked_at", cached }
}

/// `reliability.checked` (schemas/reliability.checked.schema.json).
public struct ReliabilityChecked: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String?
    public var phone: String
    public var status: ExternalStatus
    public var checkedAt: Date
    public var trigger: ReliabilityCheck.Trigger

    public init(storeID: String, clientID: String?, phone: String, status: ExternalStatus, checkedAt: Date,
                trigger: ReliabilityCheck.Trigger) {
        self.storeID = storeID
        self.clientID = clientID
        self.phone = phone
        self.status = status
        self.checkedAt = checkedAt
        self.trigger = trigger
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", phone, status, checkedAt = "checked_at", trigger
    }
}

/// `reliability.connection.test` (schemas/reliability.connection.test.schema.json).
public struct ReliabilityConnectionTest: Codable, Sendable, Equatable {
    public var storeID: String
    public var partnerCode: String?
    public var signature: String?
    public var baseURL: String?

    public init(storeID: String, partnerCode: String? = nil, signature: String? = nil, baseURL: String? = nil) {
        self.storeID = storeID
        self.partnerCode = partnerCode
        self.signature = signature
        self.baseURL = baseURL
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", partnerCode = "partner_code", signature, baseURL = "base_url"
    }
}

/// The answer to `reliability.connection.test` (schemas/reliability.connection.result.schema.json).
public struct ReliabilityConnectionResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case connected, noConnection = "no_connection" }

    public var status: Status
    public var reason: String?
    public var testedAt: Date

    public init(status: Status, reason: String?, testedAt: Date) {
        self.status = status
        self.reason = reason
        self.testedAt = testedAt
    }

    enum CodingKeys: String, CodingKey { case status, reason, testedAt = "tested_at" }
}
