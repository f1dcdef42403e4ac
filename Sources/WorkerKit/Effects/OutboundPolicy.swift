import Foundation

/// Which addresses outbound calls may go to. By default only public addresses over `https`;
/// the development set-up allows loopback (a partner's stand-in on 127.0.0.1, over `http` too).
public struct OutboundPolicy: Sendable, Equatable {
    /// 127.0.0.0/8 and ::1, over `http` or `https` (env CRM_OUTBOUND_ALLOW_LOOPBACK).
    public var allowLoopback: Bool
    /// 10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, fc00::/7, fe80::/10 (env CRM_OUTBOUND_ALLOW_PRIVATE).
    public var allowPrivate: Bool

    public init(allowLoopback: Bool = false, allowPrivate: Bool = false) {
        self.allowLoopback = allowLoopback
        self.allowPrivate = allowPrivate
    }

    public static let publicOnly = OutboundPolicy()
    /// What `scripts/run` sets: a partner's stand-in on 127.0.0.1 may be called.
    public static let development = OutboundPolicy(allowLoopback: true)
}

/// Why an outbound address was refused, in a short text of our own.
public enum OutboundRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case notAURL
    case notHTTPS
    case userInfo
    case loopback
    case privateAddress
    case unresolvable

    public var description: String {
        switch self {
        case .notAURL: return "the address is not a valid URL"
        case .notHTTPS: return "only https addresses are allowed"
        case .userInfo: return "the address must not contain a user name or password"
        case .loopback: return "loopback addresses are not allowed"
        case .privateAddress: return "private and link-local addresses are not allowed"
        case .unresolvable: return "the host name does not resolve"
        }
    }

    /// The `problem` of a `validation_failed` detail on the address field.
    public var problem: String {
        switch self {
        case .notAURL: return "invalid_format"
        case .notHTTPS: return "https_required"
        case .userInfo: return "userinfo_not_allowed"
        case .loopback: return "loopback_not_allowed"
        case .privateAddress: return "private_address_not_allowed"
        case .unresolvable: return "unresolvable"
        }
    }
}

/// A checked address: where the call may go, and the addresses it is pinned to.
public struct OutboundTarget: Sendable, Equatable {
    public var url: String
    /// Lower case, without brackets or port: what a circuit breaker is keyed by.
    public var host: String
    public var port: Int
    /// The addresses the host resolved to and that passed the check.
    public var addresses: [String]

    /// For CURLOPT_RESOLVE (`host:port:addr,addr`): libcurl connects to these and does not resolve
    /// the name again, so a DNS answer that changes after the check (rebinding) is not followed.
    public var curlResolve: [String] {
        let list = addresses.map { $0.contains(":") ? "[\($0)]" : $0 }.joined(separator: ",")
        return ["\(host):\(port):\(list)"]
    }
}
