import Crypto
import Foundation

/// How a webhook is signed, as payment providers do (Stripe's scheme): HMAC-SHA256 with the
/// endpoint's secret over `<timestamp>.<body>`, in hex, sent as `X-CRM-Signature: v1=<hex>`
/// next to `X-CRM-Timestamp` (Unix seconds), `X-CRM-Event-ID` and `X-CRM-Event-Type`. The
/// timestamp is signed too, so a receiver refusing old timestamps and seen event ids refuses a
/// replayed request. `v1=` leaves room for another scheme (and for two signatures while a
/// secret is rolled over).
public enum WebhookSignature {
    public static let signatureHeader = "X-CRM-Signature"
    public static let timestampHeader = "X-CRM-Timestamp"
    public static let eventIDHeader = "X-CRM-Event-ID"
    public static let eventTypeHeader = "X-CRM-Event-Type"
    static let secretPrefix = "whsec_"

    /// A new endpoint's secret: 32 random bytes in hex after `whsec_`. The key of the HMAC is the
    /// whole text's UTF-8 bytes, so a receiver uses it as it was shown.
    public static func newSecret() -> String { secretPrefix + randomHex(bytes: 32) }

    /// `bytes` bytes from the system's secure generator, in hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The `X-CRM-Signature` value of `body` sent at `timestamp`.
    public static func sign(secret: String, timestamp: Int64, body: Data) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + hex(Array(mac))
    }

    /// The headers of one attempt (each attempt is signed anew with its own time).
    public static func headers(secret: String, eventID: String, eventType: String, body: Data, at date: Date) -> [String: String] {
        let timestamp = Int64(date.timeIntervalSince1970)
        return [
            signatureHeader: sign(secret: secret, timestamp: timestamp, body: body),
            timestampHeader: String(timestamp),
            eventIDHeader: eventID,
            eventTypeHeader: eventType,
            "User-Agent": "crm-notification-service",
        ]
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where an endpoint's sealed secret belongs: it opens for no other row.
    static func sealContext(storeID: String, webhookID: String) -> String {
        "notification/\(storeID)/webhook/\(webhookID)/secret"
    }
}
