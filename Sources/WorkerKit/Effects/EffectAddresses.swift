import Synchronization

/// What the effect runner works out from a call's address, remembered where it cannot change: a
/// store's few addresses would otherwise be parsed (URLComponents) two or three times per call.
final class EffectAddresses: Sendable {
    let outbound: OutboundPolicy
    /// `EffectRunner.server(of:_:)` by address: from the address's form alone.
    private let servers = Mutex<[String: String?]>([:])
    /// Checked targets of addresses whose host is an IP address: nothing to resolve.
    private let literalTargets = Mutex<[String: OutboundTarget]>([:])
    private static let limit = 1_000

    init(_ outbound: OutboundPolicy) { self.outbound = outbound }

    /// The server (host:port) whose slots a call to `url` takes; nil for an address the policy refuses.
    func server(of url: String) -> String? {
        if let known = servers.withLock({ $0[url] }) { return known }
        let server = EffectRunner.server(of: url, outbound)
        servers.withLock { servers in
            if servers.count >= Self.limit { servers.removeAll() }
            servers[url] = server
        }
        return server
    }

    /// `OutboundAddress.check` of `url`, remembered when its host is an IP address. A host name
    /// is resolved and checked at every call: its addresses may change.
    func target(_ url: String) throws(OutboundRefusal) -> OutboundTarget {
        if let known = literalTargets.withLock({ $0[url] }) { return known }
        let target = try OutboundAddress.check(url, policy: outbound,
                                               schemes: OutboundAddress.webSchemes.union(OutboundAddress.mailSchemes))
        if IPAddressKind.of(literal: target.host) != nil {
            literalTargets.withLock { targets in
                if targets.count >= Self.limit { targets.removeAll() }
                targets[url] = target
            }
        }
        return target
    }
}
