import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks an outbound URL before anything is sent: `https`, `smtps` or `smtp` (or `http` to loopback when allowed),
/// no user name or password, and every address the host resolves to public, or loopback/private
/// when the policy allows it. Nothing here connects anywhere.
public enum OutboundAddress {
    /// The checks that need no DNS: for a settings update to refuse a bad address at once.
    /// `schemes`: what the caller's client speaks (`webSchemes` for an HTTP address in settings,
    /// `mailSchemes` for an SMTP server's).
    public static func checkForm(_ url: String, policy: OutboundPolicy,
                                 schemes: Set<String> = webSchemes) throws(OutboundRefusal) -> (URLComponents, String) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              var host = parts.host?.lowercased(), !host.isEmpty
        else { throw .notAURL }
        guard schemes.contains(scheme), defaultPorts[scheme] != nil else { throw .notHTTPS }
        if parts.user != nil || parts.password != nil || url.split(separator: "/").dropFirst().first?.contains("@") == true {
            throw .userInfo
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if let kind = IPAddressKind.of(literal: host) {
            try allow(kind, scheme: scheme, policy: policy)
        } else if scheme == "http", !policy.allowLoopback {
            throw .notHTTPS
        }
        return (parts, host)
    }

    /// Every check, the host resolved: the target to call, pinned to the checked addresses.
    public static func check(_ url: String, policy: OutboundPolicy,
                             schemes: Set<String> = webSchemes) throws(OutboundRefusal) -> OutboundTarget {
        let (parts, host) = try checkForm(url, policy: policy, schemes: schemes)
        let scheme = parts.scheme!.lowercased()
        let port = parts.port ?? defaultPorts[scheme]!
        let addresses = resolve(host)
        guard !addresses.isEmpty else { throw .unresolvable }
        for address in addresses {
            guard let kind = IPAddressKind.of(literal: address) else { throw .unresolvable }
            try allow(kind, scheme: scheme, policy: policy)
        }
        return OutboundTarget(url: url, host: host, port: port, addresses: addresses)
    }

    /// The schemes calls may use, with libcurl's default port of each (the pinned address must name
    /// the port libcurl connects to). `smtp` counts as encrypted: the SMTP client requires STARTTLS
    /// to anything but loopback.
    static let defaultPorts = ["https": 443, "http": 80, "smtps": 465, "smtp": 25]
    public static let webSchemes: Set<String> = ["https", "http"]
    public static let mailSchemes: Set<String> = ["smtps", "smtp"]
    static let encrypted: Set<String> = ["https", "smtps", "smtp"]

    private static func allow(_ kind: IPAddressKind, scheme: String, policy: OutboundPolicy) throws(OutboundRefusal) {
        switch kind {
        case .loopback:
            guard policy.allowLoopback else { throw .loopback }
        case .privateOrLocal:
            guard policy.allowPrivate else { throw .privateAddress }
            guard encrypted.contains(scheme) else { throw .notHTTPS }
        case .public:
            guard encrypted.contains(scheme) else { throw .notHTTPS }
        }
    }

    /// The host's addresses (numeric text), by getaddrinfo; a literal stays itself.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count),
                           nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(cString: buffer)
                if !addresses.contains(text) { addresses.append(text) }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
