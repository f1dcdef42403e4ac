import Testing
@testable import WorkerKit

/// The outbound address checks. None of these connects anywhere: literals need no DNS, and
/// `localhost` resolves from /etc/hosts.
@Suite struct OutboundAddressTests {
    static let loopback = OutboundPolicy(allowLoopback: true)
    static let both = OutboundPolicy(allowLoopback: true, allowPrivate: true)

    func refusal(_ url: String, _ policy: OutboundPolicy = .publicOnly) -> OutboundRefusal? {
        do {
            _ = try OutboundAddress.check(url, policy: policy)
            return nil
        } catch {
            return error
        }
    }

    @Test func onlyHTTPSUnlessToAllowedLoopback() {
        #expect(refusal("http://93.184.216.34/v11/ping") == .notHTTPS)
        #expect(refusal("http://93.184.216.34/v11/ping", Self.both) == .notHTTPS, "http to a public address, never")
        #expect(refusal("ftp://93.184.216.34/") == .notHTTPS)
        #expect(refusal("http://127.0.0.1:8080/") == .loopback)
        #expect(refusal("http://127.0.0.1:8080/", Self.loopback) == nil)
        #expect(refusal("http://10.0.0.5/", Self.both) == .notHTTPS, "private addresses get https too")
        #expect(refusal("https://93.184.216.34/") == nil)
        #expect(refusal("not a url") == .notAURL)
    }

    /// Mail servers: only where the caller asks for mail schemes, pinned to libcurl's default ports.
    @Test func smtpAndSmtpsWhereMailIsAsked() throws {
        let mail = OutboundAddress.mailSchemes
        #expect(throws: OutboundRefusal.notHTTPS) { try OutboundAddress.check("smtps://93.184.216.34", policy: .publicOnly) }
        #expect(try OutboundAddress.check("smtps://93.184.216.34", policy: .publicOnly, schemes: mail).port == 465)
        #expect(try OutboundAddress.check("smtp://93.184.216.34", policy: .publicOnly, schemes: mail).port == 25,
                "smtp to a public address: its client requires STARTTLS there")
        #expect(try OutboundAddress.check("smtp://93.184.216.34:587", policy: .publicOnly, schemes: mail).curlResolve
                == ["93.184.216.34:587:93.184.216.34"])
        #expect(throws: OutboundRefusal.loopback) { try OutboundAddress.check("smtp://127.0.0.1:2525", policy: .publicOnly, schemes: mail) }
        #expect(throws: OutboundRefusal.privateAddress) { try OutboundAddress.check("smtp://10.0.0.5", policy: Self.loopback, schemes: mail) }
        #expect(try OutboundAddress.check("smtp://10.0.0.5", policy: Self.both, schemes: mail).port == 25)
        #expect(throws: OutboundRefusal.notHTTPS) { try OutboundAddress.check("https://93.184.216.34", policy: .publicOnly, schemes: mail) }
    }

    @Test func noUserNameOrPassword() {
        #expect(refusal("https://user:pass@93.184.216.34/") == .userInfo)
        #expect(refusal("https://user@93.184.216.34/") == .userInfo)
        #expect(refusal("http://user@127.0.0.1/", Self.loopback) == .userInfo)
    }

    @Test(arguments: ["10.1.2.3", "192.168.0.10", "172.16.5.4", "172.31.255.255", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                      "[fe80::1]", "[fc00::1]", "[fd12:3456::1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]", "[::]"])
    func privateAndLinkLocalAreRefusedUnlessAllowed(host: String) {
        #expect(refusal("https://\(host)/") == .privateAddress, "\(host)")
        #expect(refusal("https://\(host)/", Self.loopback) == .privateAddress, "\(host)")
        #expect(refusal("https://\(host)/", Self.both) == nil, "\(host)")
    }

    @Test(arguments: ["127.0.0.1", "127.1.2.3", "[::1]", "[::ffff:127.0.0.1]"])
    func loopbackIsRefusedUnlessAllowed(host: String) {
        #expect(refusal("https://\(host):8443/") == .loopback, "\(host)")
        #expect(refusal("https://\(host):8443/", Self.loopback) == nil, "\(host)")
    }

    @Test func aNameIsResolvedAndEveryAddressChecked() throws {
        #expect(refusal("https://localhost:8443/") == .loopback, "localhost resolves to loopback")
        let target = try OutboundAddress.check("http://LocalHost:8080/v11/ping", policy: Self.loopback)
        #expect(target.host == "localhost" && target.port == 8080)
        #expect(!target.addresses.isEmpty && target.addresses.allSatisfy { $0 == "127.0.0.1" || $0 == "::1" })
        #expect(target.curlResolve.count == 1 && target.curlResolve[0].hasPrefix("localhost:8080:"))
        #expect(refusal("https://no-such-host.invalid/") == .unresolvable)
    }

    @Test func theFormCheckNeedsNoDNS() throws {
        #expect(throws: OutboundRefusal.privateAddress) { try OutboundAddress.checkForm("https://10.0.0.1/", policy: .publicOnly) }
        #expect(throws: OutboundRefusal.userInfo) { try OutboundAddress.checkForm("https://a:b@api.provider.example/", policy: .publicOnly) }
        #expect(throws: OutboundRefusal.notHTTPS) { try OutboundAddress.checkForm("http://api.provider.example/", policy: .publicOnly) }
        _ = try OutboundAddress.checkForm("https://api.provider.example/", policy: .publicOnly)
        _ = try OutboundAddress.checkForm("https://[2001:4860::8888]/", policy: .publicOnly)
    }

    @Test func pinnedIPv6AddressesAreBracketed() {
        let target = OutboundTarget(url: "https://h/", host: "h", port: 443, addresses: ["2001:4860::8888", "93.184.216.34"])
        #expect(target.curlResolve == ["h:443:[2001:4860::8888],93.184.216.34"])
    }
}
