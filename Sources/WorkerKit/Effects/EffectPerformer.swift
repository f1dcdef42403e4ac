import Contracts
import Foundation
import SQLStore

/// Performs one kind of effect for a service: reads what the call needs, then calls. Registered by
/// the service's `WorkerDefinition.registerEffects`; run by the `EffectRunner` on its threads.
public protocol EffectPerformer: Sendable {
    /// Reads what the call needs (settings, a sealed secret) in a read transaction and says where
    /// it goes; no network here. A thrown `EffectFailure` ends the effect without a call.
    func prepare(_ effect: PendingEffect, _ db: SQLDatabase) throws -> EffectCall
    /// Like `prepare`, with reads shared by the effects the runner prepares in the same read
    /// transaction (a store's settings, for each of its mails in the turn).
    func prepare(_ effect: PendingEffect, _ db: SQLDatabase, memo: BatchMemo) throws -> EffectCall
}

extension EffectPerformer {
    public func prepare(_ effect: PendingEffect, _ db: SQLDatabase, memo: BatchMemo) throws -> EffectCall {
        try prepare(effect, db)
    }
}

/// One call, ready to go: the runner checks `url` against the outbound policy, asks the circuit
/// breaker of its host, then runs `perform` with the checked target (to pin its addresses).
public struct EffectCall: Sendable {
    public var url: String
    public var perform: @Sendable (OutboundTarget) -> EffectAttempt

    public init(url: String, perform: @escaping @Sendable (OutboundTarget) -> EffectAttempt) {
        self.url = url
        self.perform = perform
    }
}

/// How one call went.
public enum EffectAttempt: Sendable, Equatable {
    /// An answer (also a refusal such as wrong credentials: the service works): the result.
    case answered(JSONValue)
    /// The service failed (timeout, 5xx, no connection, garbage): counts against its host's
    /// circuit, and is tried again while attempts are left. `reason` is our own short text.
    case fault(String)
    /// The service answered that this call will never succeed (an SMTP 5xx, a refused recipient):
    /// the effect ends at once with `failure` = `reason`, and the host counts as working.
    case failed(String)
}

/// Ends an effect without a call (nothing to call with, an address refused), with our own reason.
public struct EffectFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The performers of a service, by effect kind.
public struct EffectRegistry: Sendable {
    private(set) var performers: [String: any EffectPerformer] = [:]

    public init() {}

    public mutating func register(_ kind: String, _ performer: any EffectPerformer) {
        performers[kind] = performer
    }

    public var kinds: [String] { performers.keys.sorted() }
    /// The message type of each kind's result: `<kind>.completed`.
    public var completionTypes: [String] { kinds.map(Self.completionType(of:)) }

    public static func completionType(of kind: String) -> String { kind + ".completed" }

    func performer(for kind: String) -> (any EffectPerformer)? { performers[kind] }
}
