import Foundation

/// `client.tie_recorded` (schemas/client.tie_recorded.schema.json): an order whose keys point at
/// two live cards (its phone at one, its e-mail or the shop's user id at the other). client-service
/// attributes the order to one of them and publishes the tie as evidence for dedupe-service.
public struct ClientTieRecorded: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case phone, email, externalID = "external_id" }
        public var kind: Kind
        public var value: String
        /// Which of the two cards holds this key.
        public var clientID: String

        public init(kind: Kind, value: String, clientID: String) {
            self.kind = kind
            self.value = value
            self.clientID = clientID
        }

        enum CodingKeys: String, CodingKey { case kind, value, clientID = "client_id" }
    }

    public var storeID: String
    public var orderID: String
    public var attributedTo: String
    public var otherClientID: String
    public var keys: [Key]
    public var recordedAt: Date

    public init(storeID: String, orderID: String, attributedTo: String, otherClientID: String, keys: [Key], recordedAt: Date) {
        self.storeID = storeID
        self.orderID = orderID
        self.attributedTo = attributedTo
        self.otherClientID = otherClientID
        self.keys = keys
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", orderID = "order_id", attributedTo = "attributed_to", otherClientID = "other_client_id"
        case keys, recordedAt = "recorded_at"
    }
}
