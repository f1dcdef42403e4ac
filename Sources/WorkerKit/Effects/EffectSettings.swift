import Foundation

/// How the effect runner treats a failing service.
public struct EffectSettings: Sendable, Equatable {
    /// Faults in a row that open a host's circuit, and how long it stays open before one trial.
    public var breakerThreshold: Int
    public var breakerCoolDown: Duration
    /// The first retry's delay; each further one doubles, up to `retryMax`, each with ±50 % jitter.
    public var retryBase: Duration
    public var retryMax: Duration
    /// Calls under way at once (each blocks one of the runner's threads).
    public var concurrency: Int
    /// Calls under way at once to one server (host and port): a slow service holds only these, never all the slots,
    /// so the calls to the others go on; an effect due while its server is full waits (no attempt used).
    public var perHostConcurrency: Int

    public init(breakerThreshold: Int = 5, breakerCoolDown: Duration = .seconds(30), retryBase: Duration = .seconds(1),
                retryMax: Duration = .seconds(60), concurrency: Int = 32, perHostConcurrency: Int? = nil) {
        self.breakerThreshold = breakerThreshold
        self.breakerCoolDown = breakerCoolDown
        self.retryBase = retryBase
        self.retryMax = retryMax
        self.concurrency = max(1, concurrency)
        self.perHostConcurrency = max(1, min(self.concurrency, perHostConcurrency ?? max(1, self.concurrency / 4)))
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failed ones.
    func backoff(after attempt: Int) -> Duration {
        let base = min(retryMax.inSeconds, retryBase.inSeconds * pow(2.0, Double(max(0, attempt - 1))))
        return .milliseconds(Int(base * 1000 * Double.random(in: 0.5...1.5)))
    }
}
