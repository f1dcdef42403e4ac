import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What kind of address an IP literal is, for the outbound checks.
enum IPAddressKind: Equatable {
    case loopback
    /// Private (RFC 1918, unique local, shared 100.64/10), link-local, unspecified, multicast, reserved.
    case privateOrLocal
    case `public`

    /// nil when `text` is not an IPv4 or IPv6 literal.
    static func of(literal text: String) -> IPAddressKind? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return ofIPv4(withUnsafeBytes(of: v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        let bare = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard inet_pton(AF_INET6, bare, &v6) == 1 else { return nil }
        return ofIPv6(withUnsafeBytes(of: v6) { Array($0) })
    }

    static func ofIPv4(_ b: [UInt8]) -> IPAddressKind {
        switch (b[0], b[1]) {
        case (127, _): return .loopback
        case (0, _), (10, _), (169, 254), (192, 168), (224...255, _): return .privateOrLocal
        case (172, 16...31), (100, 64...127), (192, 0), (198, 18...19): return .privateOrLocal
        default: return .public
        }
    }

    static func ofIPv6(_ b: [UInt8]) -> IPAddressKind {
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : .privateOrLocal }  // ::1, ::
        // IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible form are read as their IPv4 address.
        if b[0..<10].allSatisfy({ $0 == 0 }), (b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0) {
            return ofIPv4(Array(b[12..<16]))
        }
        if b[0] & 0xfe == 0xfc { return .privateOrLocal }              // fc00::/7 unique local
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .privateOrLocal } // fe80::/10 link-local
        if b[0] == 0xff { return .privateOrLocal }                     // multicast
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .privateOrLocal } // documentation
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xff, b[3] == 0x9b { return .privateOrLocal } // NAT64 (embeds IPv4)
        return .public
    }
}
