import Foundation

/// `notification.send` (schemas/notification.send.schema.json): one message to one person, from a
/// template. Answered at once with the delivery id; the outcome comes later as
/// `notification.delivered` or `notification.failed`.
public struct NotificationSend: Codable, Sendable, Equatable {
    public enum Channel: String, Codable, Sendable { case email, sms }
    /// Marketing honours the client's newsletter / promotional-SMS flags; transactional does not.
    public enum Category: String, Codable, Sendable { case transactional, marketing }

    public var storeID: String
    public var channel: Channel
    /// An e-mail address or an E.164 phone; or else `clientID`, whose address is taken from the
    /// service's copy of the card.
    public var recipient: String?
    public var clientID: String?
    public var template: String
    public var locale: String?
    public var params: [String: JSONValue]?
    public var category: Category
    public var attachments: [EmailAttachment]?

    public init(storeID: String, channel: Channel, recipient: String? = nil, clientID: String? = nil, template: String,
                locale: String? = nil, params: [String: JSONValue]? = nil, category: Category = .transactional,
                attachments: [EmailAttachment]? = nil) {
        self.storeID = storeID
        self.channel = channel
        self.recipient = recipient
        self.clientID = clientID
        self.template = template
        self.locale = locale
        self.params = params
        self.category = category
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case storeID = "store_id", channel, recipient, clientID = "client_id", template, locale, params, category, attachments
    }
}

/// A file sent with an e-mail (an invoice PDF), its bytes in base64.
public struct EmailAttachment: Codable, Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var contentBase64: String

    public init(filename: String, contentType: String, contentBase64: String) {
        self.filename = filename
        self.contentType = contentType
        self.contentBase64 = contentBase64
    }

    enum CodingKeys: String, CodingKey { case filename, contentType = "content_type", contentBase64 = "content_base64" }
}
