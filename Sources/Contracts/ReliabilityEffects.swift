import Foundation

/// The input of effect `reliability.check`: a buyer to check with the store's provider. The
/// credentials are not in it: the performer reads the store's settings (and opens the sealed
/// signature) when it calls.
public struct ReliabilityCheckCall: Codable, Sendable, Equatable {
    public var storeID: String
    public var phone: String
    public var clientID: String?
    public var trigger: ReliabilityCheck.Trigger

    public init(storeID: String, phone: String, clientID: String?, trigger: ReliabilityCheck.Trigger) {
        self.storeID = storeID
        self.phone = phone
        self.clientID = clientID
        self.trigger = trigger
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", phone, clientID = "client_id", trigger }
}

/// The input of effect `reliability.connection.test`: the store, and what the test tries instead of
/// the stored settings (a signature given with it rides sealed in the effect row, never here).
public struct ReliabilityConnectionCall: Codable, Sendable, Equatable {
    public var storeID: String
    public var partnerCode: String?
    public var baseURL: String?

    public init(storeID: String, partnerCode: String?, baseURL: String?) {
        self.storeID = storeID
        self.partnerCode = partnerCode
        self.baseURL = baseURL
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", partnerCode = "partner_code", baseURL = "base_url" }
}

/// What the provider answered: a status for a phone, `connected` to a ping, or `refused` (wrong
/// credentials, with the HTTP status).
public struct ProviderAnswer: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case status, connected, refused }

    public var kind: Kind
    public var status: ExternalStatus?
    public var httpStatus: Int?

    public init(kind: Kind, status: ExternalStatus? = nil, httpStatus: Int? = nil) {
        self.kind = kind
        self.status = status
        self.httpStatus = httpStatus
    }

    enum CodingKeys: String, CodingKey { case kind, status, httpStatus = "http_status" }
}

public typealias ReliabilityCheckCompleted = EffectCompleted<ReliabilityCheckCall, ProviderAnswer>
public typealias ReliabilityConnectionTestCompleted = EffectCompleted<ReliabilityConnectionCall, ProviderAnswer>
