import Foundation

/// A broker address in the RabbitMQ URI form:
/// `amqp[s]://user:pass@host:port/vhost?heartbeat=30&cacertfile=…&certfile=…&keyfile=…&verify=verify_none`.
/// The vhost is percent-decoded (`%2f` is `/`); an empty path means the default vhost `/`.
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var vhost: String
    public var tls: Bool
    public var heartbeatSeconds: Int
    public var caCertFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var verifyPeer: Bool

    public init(_ string: String) throws {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps"
        else { throw AMQPError.invalidURL(Self.redacted(string)) }
        tls = scheme == "amqps"
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        port = components.port ?? (tls ? 5671 : 5672)
        user = components.user?.removingPercentEncoding ?? "guest"
        password = components.password?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        let rawVhost = path.hasPrefix("/") ? String(path.dropFirst()) : path
        vhost = rawVhost.isEmpty ? "/" : (rawVhost.removingPercentEncoding ?? rawVhost)
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        heartbeatSeconds = query["heartbeat"].flatMap(Int.init) ?? 30
        caCertFile = query["cacertfile"]
        certFile = query["certfile"]
        keyFile = query["keyfile"]
        verifyPeer = query["verify"] != "verify_none"
    }

    /// The same broker with another vhost (tests give each case a vhost of its own).
    public func withVhost(_ vhost: String) -> AMQPURL {
        var copy = self
        copy.vhost = vhost
        return copy
    }

    /// The full URL, password included, for handing to another process; never log it.
    public var connectionString: String {
        let userInfo = [user, password].map { $0.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? $0 }
        let encodedVhost = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? vhost
        var query = ["heartbeat=\(heartbeatSeconds)"]
        if let caCertFile { query.append("cacertfile=\(caCertFile)") }
        if let certFile { query.append("certfile=\(certFile)") }
        if let keyFile { query.append("keyfile=\(keyFile)") }
        if !verifyPeer { query.append("verify=verify_none") }
        return "\(tls ? "amqps" : "amqp")://\(userInfo[0]):\(userInfo[1])@\(host):\(port)/\(encodedVhost)?\(query.joined(separator: "&"))"
    }

    /// The address without its password: safe to log.
    public var description: String {
        "\(tls ? "amqps" : "amqp")://\(user)@\(host):\(port)/\(vhost == "/" ? "%2f" : vhost)"
    }

    static func redacted(_ string: String) -> String {
        guard var c = URLComponents(string: string) else { return "<unparseable url>" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "<unparseable url>"
    }
}
