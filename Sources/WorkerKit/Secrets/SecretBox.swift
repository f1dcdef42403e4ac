import Crypto
import Foundation

/// Seals the secrets a service keeps (provider signatures, SMTP passwords, gateway tokens) with
/// AES-256-GCM before they reach its database, and opens them when a call needs them.
///
/// The sealed form is `v1:` + base64(nonce ‖ ciphertext ‖ tag). The version prefix leaves room for
/// another algorithm or key later. The associated data names where the value lives (for example
/// `rel_settings/<store>/signature`): a sealed value copied into another row or field does not open.
public struct SecretBox: Sendable {
    public static let keyEnvironmentVariable = "CRM_SECRET_KEY"
    static let version = "v1:"

    /// The raw 32 bytes: swift-crypto's SymmetricKey is not Sendable, so one is made per use (cheap).
    private let keyBytes: Data
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    public init(key: SymmetricKey) throws {
        guard key.bitCount == 256 else { throw SecretBoxError.invalidKey("the key must be 256 bits, got \(key.bitCount)") }
        keyBytes = key.withUnsafeBytes { Data($0) }
    }

    /// From `CRM_SECRET_KEY`'s form: base64 of 32 random bytes.
    public init(base64Key: String) throws {
        guard let bytes = Data(base64Encoded: base64Key.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SecretBoxError.invalidKey("\(Self.keyEnvironmentVariable) is not base64")
        }
        guard bytes.count == 32 else {
            throw SecretBoxError.invalidKey("\(Self.keyEnvironmentVariable) must decode to 32 bytes, got \(bytes.count)")
        }
        try self.init(key: SymmetricKey(data: bytes))
    }

    /// A box with a fresh random key: each test makes its own.
    public static func random() -> SecretBox {
        // 256 bits is the only size init(key:) accepts, so this cannot fail.
        try! SecretBox(key: SymmetricKey(size: .bits256))
    }

    /// Seals `secret` for the place `context` names.
    public func seal(_ secret: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SecretBoxError.cannotSeal }
        return Self.version + combined.base64EncodedString()
    }

    /// Opens what `seal` made for the same `context` with the same key.
    public func open(_ sealed: String, context: String) throws -> String {
        guard sealed.hasPrefix(Self.version),
              let combined = Data(base64Encoded: String(sealed.dropFirst(Self.version.count))) else {
            throw SecretBoxError.malformed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            guard let text = String(data: plain, encoding: .utf8) else { throw SecretBoxError.malformed }
            return text
        } catch let error as SecretBoxError {
            throw error
        } catch {
            // Wrong key, another row's value, or altered bytes: GCM's tag does not match.
            throw SecretBoxError.cannotOpen(context: context)
        }
    }
}

/// Why a secret could not be sealed or opened. The messages never contain the secret.
public enum SecretBoxError: Error, Equatable, CustomStringConvertible {
    case invalidKey(String)
    case cannotSeal
    case malformed
    case cannotOpen(context: String)
    case missingKey(service: String)

    public var description: String {
        switch self {
        case .invalidKey(let why): return "invalid secret key: \(why)"
        case .cannotSeal: return "the secret could not be sealed"
        case .malformed: return "a stored secret is not in the sealed form"
        case .cannotOpen(let context):
            return "the secret \(context) does not open with this key (another CRM_SECRET_KEY, or altered)"
        case .missingKey(let service):
            return "\(service) stores secrets encrypted and needs a key: set \(SecretBox.keyEnvironmentVariable) "
                + "to base64 of 32 random bytes (scripts/run generates .run/secret-key)"
        }
    }
}
