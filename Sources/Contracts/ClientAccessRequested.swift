import Foundation

/// `client.activation_requested` and `client.password_reset_requested`
/// (schemas/client.activation_requested.schema.json, client.password_reset_requested.schema.json):
/// a client is to confirm an account or reset a password, with a link, a code, or both, valid
/// until `expires_at`. notification-service sends it to the client.
public struct ClientAccessRequested: Codable, Sendable, Equatable {
    public var storeID: String
    public var clientID: String
    public var link: String?
    public var code: String?
    public var expiresAt: Date

    public init(storeID: String, clientID: String, link: String? = nil, code: String? = nil, expiresAt: Date) {
        self.storeID = storeID
        self.clientID = clientID
        self.link = link
        self.code = code
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", clientID = "client_id", link, code, expiresAt = "expires_at"
    }
}
