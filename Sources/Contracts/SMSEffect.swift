import Foundation

/// The input of effect `notification.sms`: one text to one phone. The gateway's URL and token are
/// not in it: the performer reads the store's settings (and opens the sealed token) when it calls.
public struct SMSSend: Codable, Sendable, Equatable {
    public var storeID: String
    public var deliveryID: String
    public var to: String
    public var text: String

    public init(storeID: String, deliveryID: String, to: String, text: String) {
        self.storeID = storeID
        self.deliveryID = deliveryID
        self.to = to
        self.text = text
    }

    enum CodingKeys: String, CodingKey { case storeID = "store_id", deliveryID = "delivery_id", to, text }
}

/// What the SMS gateway answered: `sent` with its message id, or `refused` (HTTP 4xx other than
/// 429: a wrong token, a number it will not take) with the status. Faults never get here.
public struct SMSSent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case sent, refused }

    public var kind: Kind
    public var messageID: String?
    public var httpStatus: Int?

    public init(kind: Kind, messageID: String? = nil, httpStatus: Int? = nil) {
        self.kind = kind
        self.messageID = messageID
        self.httpStatus = httpStatus
    }

    enum CodingKeys: String, CodingKey { case kind, messageID = "message_id", httpStatus = "http_status" }
}

public typealias SMSSendCompleted = EffectCompleted<SMSSend, SMSSent>
