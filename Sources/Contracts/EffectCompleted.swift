import Foundation

/// `<kind>.completed` (e.g. schemas/reliability.check.completed.schema.json): what a service's
/// effect runner sends to the service's own work queue when an external call it recorded is done.
/// `result` is the performer's answer; `failure` (our own short text) says why there is none.
public struct EffectCompleted<Payload: Codable & Sendable, Result: Codable & Sendable>: Codable, Sendable {
    public var effectID: Int64
    public var kind: String
    /// Calls made (or refused by an open circuit), retries included.
    public var attempts: Int
    /// The effect's input as the handler recorded it (never a secret: those stay sealed in the row).
    public var payload: Payload
    public var result: Result?
    public var failure: String?
    public var completedAt: Date

    public init(effectID: Int64, kind: String, attempts: Int, payload: Payload, result: Result?, failure: String?,
                completedAt: Date) {
        self.effectID = effectID
        self.kind = kind
        self.attempts = attempts
        self.payload = payload
        self.result = result
        self.failure = failure
        self.completedAt = completedAt
    }

    enum CodingKeys: String, CodingKey {
        case effectID = "effect_id", kind, attempts, payload, result, failure, completedAt = "completed_at"
    }
}

extension EffectCompleted: Equatable where Payload: Equatable, Result: Equatable {}
